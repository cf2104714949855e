import { createContext } from 'react';
import { ConsoleConfig } from '../../lib/domain/console-config.js';
import { useApiBase } from './admin-api.js';

let loaded: Promise<ConsoleConfig> | undefined;

/** The runtime's `config.json` beside index.html, read once: where the API is and how to sign in. */
export const consoleConfig = (): Promise<ConsoleConfig> => {
  loaded ??= fetch(`${import.meta.env.BASE_URL}config.json`)
    .then((response) => {
      if (!response.ok) throw new Error(`config.json answered ${response.status}`);
      return response.json();
    })
    .then((json: unknown) => {
      const config = ConsoleConfig.parse(json);
      useApiBase(config.apiBase);
      return config;
    });
  return loaded;
};

/** The loaded config, for the pages that sign in: the app renders only once it is read. */
export const ConsoleConfigContext = createContext<ConsoleConfig>({ apiBase: '', signIn: { kind: 'token' } });

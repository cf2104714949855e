import sesEmulatorModule from 'aws-ses-v2-local';
import { waitUntil } from './free-port.js';

export interface SesLocal {
  endpoint: string;
  stop(): Promise<void>;
}

type StartEmulator = typeof sesEmulatorModule;

const isStartEmulator = (value: unknown): value is StartEmulator => typeof value === 'function';

/** The package is CommonJS: depending on the loader, its server function is the default or the default's default. */
const resolveStart = (loaded: unknown): StartEmulator => {
  if (isStartEmulator(loaded)) return loaded;
  if (typeof loaded === 'object' && loaded !== null && 'default' in loaded)
    return resolveStart(loaded.default);
  throw new Error('aws-ses-v2-local does not export a server function');
};

/**
 * Runs the SES v2 emulator in this process. It keeps sent mail in memory and shows
 * it at `/` (a web viewer) and `/store` (JSON).
 */
export const startSesLocal = async (options: { port: number; host?: string }): Promise<SesLocal> => {
  const server = await resolveStart(sesEmulatorModule)({
    host: options.host ?? '127.0.0.1',
    port: options.port,
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  await waitUntil(
    async () => (await fetch(`${endpoint}/health-check`)).ok,
    `SES emulator on port ${options.port}`,
  );
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SimulationRequest, simulationWindow } from '../app/simulation-input.js';
import { loadDeliveryPolicy } from '../domain/delivery-policy.js';
import { formatTimeline, simulate } from '../domain/simulate.js';
import { readJourneyFile } from './journey-files.js';
import { type TerminalText, terminal, terminalJson, terminalLines } from './terminal-text.js';

/** Inline JSON, or the path of a JSON file. */
const jsonArgument = async (value: string | undefined, fallback: unknown): Promise<unknown> => {
  if (value === undefined) return fallback;
  return JSON.parse(existsSync(value) ? await readFile(value, 'utf8') : value);
};

export interface SimulateOptions {
  contact?: string;
  events?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

export const simulateCommand = async (
  file: string,
  options: SimulateOptions,
  io: { print(text: TerminalText): void },
): Promise<number> => {
  const journey = await readJourneyFile(file);
  if (!journey.ok) {
    io.print(
      terminalLines([
        terminal`✗ ${file}`,
        ...journey.problems.map((p) => terminal`  ${p.path}: ${p.message}`),
      ]),
    );
    return 1;
  }
  const request = SimulationRequest.parse({
    contact: await jsonArgument(options.contact, {}),
    ...(options.events === undefined ? {} : { events: await jsonArgument(options.events, []) }),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
  });
  const window = simulationWindow(journey.value, request, new Date());
  const policy = existsSync('delivery-policy.yaml')
    ? loadDeliveryPolicy(await readFile('delivery-policy.yaml', 'utf8'))
    : undefined;
  const result = simulate({
    definition: journey.value,
    ...window,
    ...(policy === undefined ? {} : { policy }),
  });
  io.print(
    options.json
      ? terminalJson(result.timeline)
      : terminalLines(formatTimeline(result.timeline, { timeZone: window.contact.timeZone ?? 'UTC' })),
  );
  return 0;
};

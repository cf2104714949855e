import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SimulationRequest, simulationWindow } from '../app/simulation-input.js';
import { loadDeliveryPolicy } from '../domain/delivery-policy.js';
import { formatTimeline, simulate } from '../domain/simulate.js';
import { readJourneyFile } from './journey-files.js';

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
  io: { print(text: string): void },
): Promise<number> => {
  const journey = await readJourneyFile(file);
  if (!journey.ok) {
    io.print(`✗ ${file}\n${journey.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
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
      ? JSON.stringify(result.timeline, null, 2)
      : formatTimeline(result.timeline, { timeZone: window.contact.timeZone ?? 'UTC' }).join('\n'),
  );
  return 0;
};

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadDeliveryPolicy } from '../domain/delivery-policy.js';
import { SimulationInputError, type SimulationResult } from '../domain/simulate.js';
import { simulate } from '../simulation/simulate.js';
import { SimulationRequest, simulationWindow } from '../simulation/simulation-input.js';
import { localTemplates, readJourneyFile } from './journey-files.js';
import { formatTimeline } from './simulation-timeline.js';
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
  /** Where the journey's templates are read from; a send whose template is not there fails, as it would deployed. */
  templates?: string;
}

export const simulateCommand = async (
  file: string,
  options: SimulateOptions,
  io: { print(text: TerminalText): void },
): Promise<number> => {
  const journey = await readJourneyFile(file);
  const refuse = (problems: ReadonlyArray<{ path: string; message: string }>): number => {
    io.print(
      terminalLines([terminal`✗ ${file}`, ...problems.map((p) => terminal`  ${p.path}: ${p.message}`)]),
    );
    return 1;
  };
  if (!journey.ok) return refuse(journey.problems);
  const request = SimulationRequest.safeParse({
    contact: await jsonArgument(options.contact, {}),
    ...(options.events === undefined ? {} : { events: await jsonArgument(options.events, []) }),
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
  });
  if (!request.success) {
    return refuse(
      request.error.issues.map((issue) => ({ path: `--${issue.path.join('.')}`, message: issue.message })),
    );
  }
  const window = simulationWindow(journey.value, request.data, new Date());
  const policy = existsSync('delivery-policy.yaml')
    ? loadDeliveryPolicy(await readFile('delivery-policy.yaml', 'utf8'))
    : undefined;
  const templates = await localTemplates(options.templates ?? 'templates');
  let result: SimulationResult;
  try {
    result = await simulate(
      { definition: journey.value, ...window },
      { template: async (id) => templates.get(id), ...(policy === undefined ? {} : { policy }) },
    );
  } catch (error) {
    if (!(error instanceof SimulationInputError)) throw error;
    return refuse([{ path: 'simulation', message: error.message }]);
  }
  io.print(
    options.json
      ? terminalJson(result.timeline)
      : formatTimeline(result.timeline, { timeZone: window.contact.timeZone ?? 'UTC' }),
  );
  return 0;
};

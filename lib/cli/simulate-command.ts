import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Contact } from '../domain/contact.js';
import { ConsentStatus } from '../domain/contact.js';
import { loadDeliveryPolicy } from '../domain/delivery-policy.js';
import { formatTimeline, SimulationEvent, simulate } from '../domain/simulate.js';
import { readJourneyFile } from './journey-files.js';

/** A contact for a what-if: only what matters needs saying; the rest is a subscribed reader. */
const SimulatedContact = z.object({
  id: z.string().default('simulated-contact'),
  email: z.string().default('reader@example.com'),
  name: z.string().optional(),
  phone: z.string().optional(),
  timeZone: z.string().optional(),
  topics: z.array(z.string()).default([]),
  email_status: ConsentStatus.default('subscribed'),
  sms_status: ConsentStatus.default('none'),
  attributes: z.record(z.string(), z.unknown()).optional(),
  acquisition: z.object({ form: z.string().optional(), page: z.string().optional() }).optional(),
});

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
  const raw = SimulatedContact.parse(await jsonArgument(options.contact, {}));
  const from = new Date(options.from ?? new Date().toISOString());
  const to = new Date(options.to ?? new Date(from.getTime() + 365 * 86_400_000).toISOString());
  const at = from.toISOString();
  const contact: Contact = {
    id: raw.id,
    email: raw.email,
    ...(raw.name === undefined ? {} : { name: raw.name }),
    ...(raw.phone === undefined ? {} : { phone: raw.phone }),
    ...(raw.timeZone === undefined ? {} : { timeZone: raw.timeZone }),
    consent: {
      email: { status: raw.email_status, changedAt: at },
      sms: { status: raw.sms_status, changedAt: at },
    },
    topics: raw.topics,
    pendingTopics: [],
    acquisition: { ...raw.acquisition, at },
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const events = z
    .array(SimulationEvent)
    .parse(await jsonArgument(options.events, [{ type: journey.value.trigger.event, at }]));
  const policy = existsSync('delivery-policy.yaml')
    ? loadDeliveryPolicy(await readFile('delivery-policy.yaml', 'utf8'))
    : undefined;
  const result = simulate({
    definition: journey.value,
    contact,
    events,
    from,
    to,
    ...(policy === undefined ? {} : { policy }),
  });
  io.print(
    options.json
      ? JSON.stringify(result.timeline, null, 2)
      : formatTimeline(result.timeline, { timeZone: contact.timeZone ?? 'UTC' }).join('\n'),
  );
  return 0;
};

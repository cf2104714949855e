import { z } from 'zod';
import type { Contact } from '../domain/contact.js';
import { ConsentStatus } from '../domain/contact.js';
import { CustomerCardShown } from '../domain/customer-card.js';
import { isDateTrigger, type JourneyDefinition } from '../domain/journey-definition.js';
import { SimulationEvent } from '../domain/simulate.js';

/** A contact for a what-if: only what matters needs saying; the rest is a subscribed reader. */
export const SimulatedContact = z.object({
  id: z.string().default('simulated-contact'),
  email: z.string().default('reader@example.com'),
  name: z.string().optional(),
  phone: z.string().optional(),
  timeZone: z.string().optional(),
  topics: z.array(z.string()).default([]),
  email_status: ConsentStatus.default('subscribed'),
  sms_status: ConsentStatus.default('none'),
  acquisition: z.object({ form: z.string().optional(), page: z.string().optional() }).optional(),
  /** Custom attributes, e.g. { birthday: 1990-05-17 } for a date trigger. */
  attributes: z.record(z.string(), z.unknown()).default({}),
  /**
   * The customer card as `GET /admin/contacts/{id}` shows it (money in major
   * units): what recommendations and card conditions read.
   */
  customer: CustomerCardShown.optional(),
});
export type SimulatedContact = z.infer<typeof SimulatedContact>;

/** What a simulation request may say; everything has a default. */
export const SimulationRequest = z.object({
  contact: SimulatedContact.default({
    id: 'simulated-contact',
    email: 'reader@example.com',
    topics: [],
    email_status: 'subscribed',
    sms_status: 'none',
    attributes: {},
  }),
  /** Defaults to the journey's trigger event at `from`. */
  events: z.array(SimulationEvent).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type SimulationRequest = z.infer<typeof SimulationRequest>;

export const contactFor = (raw: SimulatedContact, at: string): Contact => ({
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
  attributes: raw.attributes,
  ...(raw.customer === undefined ? {} : { customer: raw.customer }),
  acquisition: { ...raw.acquisition, at },
  createdAt: at,
  updatedAt: at,
  version: 1,
});

/** The simulate() input for a request: a year from now unless said otherwise, entering on the trigger. */
export const simulationWindow = (definition: JourneyDefinition, request: SimulationRequest, now: Date) => {
  const from = new Date(request.from ?? now.toISOString());
  const to = new Date(request.to ?? new Date(from.getTime() + 365 * 86_400_000).toISOString());
  const at = from.toISOString();
  return {
    contact: contactFor(request.contact, at),
    // A date trigger comes round by itself in the simulation; an event trigger needs its event.
    events:
      request.events ?? (isDateTrigger(definition.trigger) ? [] : [{ type: definition.trigger.event, at }]),
    from,
    to,
  };
};

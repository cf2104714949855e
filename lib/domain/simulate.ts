import { z } from 'zod';
import type { Contact } from './contact.js';
import type { ContactEvent } from './contact-event.js';
import { ContactEventType } from './contact-event.js';
import type { Enrollment } from './enrollment.js';
import { DeferReason, SkipReason as DeliverySkipReason, MessageContext } from './message.js';

/**
 * What a simulation takes and answers. The running is not here: a simulation is
 * the deployment's own use cases on in-memory adapters (lib/simulation), so it
 * cannot say anything the system would not do.
 */

/** An event to feed the simulation; `id` defaults to its position, so enrollment ids are stable. */
export const SimulationEvent = z.object({
  id: z.string().min(1).optional(),
  type: ContactEventType.exclude(['timer', 'date_reached']),
  at: z.union([z.date(), z.iso.datetime({ offset: true })]),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type SimulationEvent = z.infer<typeof SimulationEvent>;

/** Why a send did not go out: deliver's reasons, and the control group's, which queues nothing. */
export const SkipReason = z.union([DeliverySkipReason, z.literal('control-group')]);
export type SkipReason = z.infer<typeof SkipReason>;

export const NotEnteredReason = z.enum([
  /** The event is the trigger's type, but its condition did not match. */
  'trigger-condition',
  'entry-condition',
  /** A `for_each` trigger's element did not match its condition. */
  'item-condition',
  /** A `for_each` trigger's list was missing or empty. */
  'no-items',
  /** `reentry: never`, and the contact entered before. */
  'already-entered',
  /** `reentry: { cooldown }`, and the contact entered within it. */
  'cooling-down',
  /** `concurrent: false`, and the contact is in the journey now. */
  'already-active',
  /** Two input events share an id: the second replays the first. */
  'already-started',
]);
export type NotEnteredReason = z.infer<typeof NotEnteredReason>;

export const SendDetails = z.object({
  enrollmentId: z.string(),
  node: z.string(),
  channel: z.enum(['email', 'sms']),
  template: z.string(),
  /** What the message's template sees as `trigger` and `event`, as the journeys function stored it. */
  context: MessageContext.optional(),
});
export type SendDetails = z.infer<typeof SendDetails>;

/** One line of what happened, in time order. Times are ISO strings so a timeline serializes as is. */
export const TimelineEntry = z.discriminatedUnion('kind', [
  z.object({
    at: z.string(),
    kind: z.literal('entered'),
    enrollmentId: z.string(),
    group: z.enum(['treatment', 'control']),
  }),
  z.object({ at: z.string(), kind: z.literal('not-entered'), eventId: z.string(), reason: NotEnteredReason }),
  z.object({
    at: z.string(),
    kind: z.literal('waiting'),
    enrollmentId: z.string(),
    node: z.string(),
    until: z.string(),
    /** For a wait_for_event: the event that ends the wait early. */
    event: ContactEventType.optional(),
  }),
  /** `subject` for an email, `text` for an SMS: as the recipient would have read it. */
  SendDetails.extend({
    at: z.string(),
    kind: z.literal('sent'),
    subject: z.string().optional(),
    text: z.string().optional(),
  }),
  SendDetails.extend({ at: z.string(), kind: z.literal('skipped'), reason: SkipReason }),
  SendDetails.extend({ at: z.string(), kind: z.literal('deferred'), until: z.string(), reason: DeferReason }),
  /** A send that failed (a template missing or over its limits), or a journey that failed on an event. */
  z.object({
    at: z.string(),
    kind: z.literal('failed'),
    enrollmentId: z.string().optional(),
    node: z.string().optional(),
    reason: z.string(),
  }),
  z.object({
    at: z.string(),
    kind: z.literal('updated'),
    enrollmentId: z.string(),
    node: z.string(),
    changed: z.array(z.string()),
  }),
  z.object({
    at: z.string(),
    kind: z.literal('emitted'),
    enrollmentId: z.string(),
    node: z.string(),
    detailType: z.string(),
  }),
  z.object({ at: z.string(), kind: z.literal('goal'), enrollmentId: z.string() }),
  z.object({ at: z.string(), kind: z.literal('exited'), enrollmentId: z.string(), reason: z.string() }),
  z.object({ at: z.string(), kind: z.literal('completed'), enrollmentId: z.string() }),
]);
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/** What `POST /admin/journeys/{id}/simulate` answers: the draft's run, or the latest version's. */
export const JourneySimulation = z.object({
  journeyId: z.string(),
  source: z.enum(['draft', 'version']),
  version: z.number().int().optional(),
  timeline: z.array(TimelineEntry),
});
export type JourneySimulation = z.infer<typeof JourneySimulation>;

export interface SimulationResult {
  timeline: TimelineEntry[];
  /** Every enrollment as it stands at `to`. */
  enrollments: Enrollment[];
  /** The contact as the events left it (consent, topics, attributes). */
  contact: Contact;
}

export class SimulationInputError extends Error {
  override readonly name = 'SimulationInputError';
}

/** Each step is one event, one send or one tick; a journey that needs more than this is broken. */
export const maxSimulationSteps = 20_000;

/**
 * More lines than anyone reads, and the bound on a simulation's time and memory:
 * a loop through 200 nodes every second would otherwise run for a minute and
 * fill gigabytes before the step limit stopped it.
 */
export const maxTimelineEntries = 10_000;

/** The events as the deployment would store them, or SimulationInputError naming each bad one by its path. */
export const parseSimulationEvents = (
  contactId: string,
  events: readonly SimulationEvent[],
): ContactEvent[] => {
  const parsed = z.array(SimulationEvent).safeParse(events);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `events.${issue.path.join('.')}: ${issue.message}`);
    throw new SimulationInputError(problems.join('; '));
  }
  return parsed.data.map((event, index) => ({
    id: event.id ?? `sim-event-${String(index + 1).padStart(4, '0')}`,
    contactId,
    type: event.type,
    at: new Date(event.at).toISOString(),
    data: event.data ?? {},
  }));
};

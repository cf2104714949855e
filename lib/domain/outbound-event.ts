import { z } from 'zod';

/**
 * An event a journey's `emit_event` node puts on EventBridge, for other systems
 * (a CRM, a print-and-mail service, a data lake) to act on. It is written to the
 * table in the same transaction as the enrollment step that emitted it (an
 * outbox), and the publish-events function hands it to EventBridge from the
 * table's stream. Its id comes from (journey, enrollment, node, visit), so a
 * replayed step cannot emit it twice; consumers dedupe on `detail.eventId`
 * because EventBridge itself delivers at least once.
 */
export const OutboundEventStatus = z.enum(['pending', 'published']);
export type OutboundEventStatus = z.infer<typeof OutboundEventStatus>;

export const OutboundEvent = z.object({
  /** `<journeyId>#<enrollmentId>#<nodeId>#<visit>`: the business identity of the step that emitted it. */
  id: z.string().min(1),
  contactId: z.string().min(1),
  /** EventBridge's `Source`. */
  source: z.string().min(1).max(256),
  /** EventBridge's `DetailType`, e.g. `VIP Reached`. */
  detailType: z.string().min(1).max(128),
  /** EventBridge's `Detail`: the node's fields plus who and where it came from. */
  detail: z.record(z.string(), z.unknown()),
  journeyId: z.string().min(1),
  enrollmentId: z.string().min(1),
  nodeId: z.string().min(1),
  status: OutboundEventStatus,
  createdAt: z.iso.datetime(),
  publishedAt: z.iso.datetime().optional(),
  /** EventBridge's id for the entry, once published. */
  providerEventId: z.string().optional(),
});
export type OutboundEvent = z.infer<typeof OutboundEvent>;

/** Every emitted event's `Source`; rules in the user's account match on it. */
export const outboundEventSource = 'rapport.journeys';

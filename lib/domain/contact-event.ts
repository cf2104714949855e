import { z } from 'zod';

export const ContactEventType = z.enum([
  'signup_confirmed',
  'unsubscribed',
  'topics_changed',
  /** A journey's wait ended: written by the tick, never by a caller. */
  'timer',
  /** A journey's date trigger came round for this contact: written by the tick, never by a caller. */
  'date_reached',
  /** Segment's "Order Completed". */
  'order_completed',
  'order_refunded',
  'product_viewed',
  /** A product in the catalog was published; fan-out to interested contacts. */
  'product_published',
  /** A profile attribute changed; `data.changed` names the attributes. */
  'contact_updated',
  /** A custom event; `data.name` is its name. */
  'track',
  /**
   * A journey's message was not sent (no consent, suppressed, capped, nothing to
   * recommend): written by deliver with `data.journeyId`, `enrollmentId`,
   * `nodeId`, `channel`, `templateId` and `reason`, so the journey can react
   * (an exit rule) instead of acting as if it had been read.
   */
  'message_skipped',
  /**
   * The contact came to match a live segment (`data.segmentId`, `segmentName`):
   * written when a change of the contact, or the nightly pass, finds it in.
   */
  'segment_entered',
  /** The contact no longer matches a live segment it was in; the same data. */
  'segment_exited',
]);
export type ContactEventType = z.infer<typeof ContactEventType>;

/** Everything that can move a journey arrives as one of these, written to the table. */
export const ContactEvent = z.object({
  id: z.string().min(1),
  contactId: z.string().min(1),
  type: ContactEventType,
  at: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type ContactEvent = z.infer<typeof ContactEvent>;

import { z } from 'zod';

export const EnrollmentStatus = z.enum(['active', 'completed', 'exited']);
export type EnrollmentStatus = z.infer<typeof EnrollmentStatus>;

/** What an active enrollment is paused on. The timer id ties a fired timer to the wait that set it. */
export const Waiting = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('timer'), nodeId: z.string(), timerId: z.string(), dueAt: z.iso.datetime() }),
  z.object({
    kind: z.literal('event'),
    nodeId: z.string(),
    timerId: z.string(),
    timeoutAt: z.iso.datetime(),
    /** The event that started the wait, and when it happened: only a later event ends it. */
    startedBy: z.string().optional(),
    since: z.iso.datetime().optional(),
  }),
]);
export type Waiting = z.infer<typeof Waiting>;

/** An event as journeys and templates see it later: what happened, when, and its data. */
export const EventSnapshot = z.object({
  type: z.string(),
  at: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type EventSnapshot = z.infer<typeof EventSnapshot>;

/** The event that started an enrollment, and for a `for_each` trigger the element of its list it was started for. */
export const TriggerSnapshot = EventSnapshot.extend({
  item: z.unknown().optional(),
  itemIndex: z.number().int().min(0).optional(),
});
export type TriggerSnapshot = z.infer<typeof TriggerSnapshot>;

export const Enrollment = z.object({
  id: z.string().min(1),
  contactId: z.string().min(1),
  journeyId: z.string().min(1),
  /** Running enrollments finish on the version they entered, whatever is published since. */
  journeyVersion: z.number().int().min(1),
  status: EnrollmentStatus,
  currentNode: z.string().optional(),
  waiting: Waiting.optional(),
  /** The holdout's control group is tracked for the goal but sent nothing. */
  group: z.enum(['treatment', 'control']).default('treatment'),
  /** How many times each node ran; part of every side effect's idempotency key. */
  visits: z.record(z.string(), z.number().int().min(1)),
  triggerEventId: z.string().min(1),
  /** The event that started the enrollment, so later conditions can compare with it (`enrollment.trigger.data.…`). */
  trigger: TriggerSnapshot.optional(),
  enteredAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  goalReachedAt: z.iso.datetime().optional(),
  finishedAt: z.iso.datetime().optional(),
  exitReason: z.string().optional(),
  /**
   * Set by the store when this enrollment took the journey's ACTIVE marker (a
   * `concurrent: false` journey): only then does ending it release the marker.
   */
  holdsActiveMarker: z.boolean().optional(),
  /** Optimistic-concurrency counter. */
  version: z.number().int().min(1),
});
export type Enrollment = z.infer<typeof Enrollment>;

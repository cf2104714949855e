import { z } from 'zod';

/**
 * A wake-up call for one enrollment: when `dueAt` passes, the tick turns it into a
 * `timer` event for the contact, which the journeys function handles like any
 * other event. Its id is the business identity of the wait that set it, so the
 * same wait can never schedule two timers.
 */
export const Timer = z.object({
  /** `<journeyId>#<enrollmentId>#<nodeId>#<visit>` */
  id: z.string().min(1),
  contactId: z.string().min(1),
  dueAt: z.iso.datetime(),
  journeyId: z.string().min(1),
  enrollmentId: z.string().min(1),
  nodeId: z.string().min(1),
  visit: z.number().int().min(1),
});
export type Timer = z.infer<typeof Timer>;

/** What a fired timer's event carries in `data`. */
export const TimerEventData = Timer.omit({ contactId: true });
export type TimerEventData = z.infer<typeof TimerEventData>;

/**
 * The id of the event a timer becomes. Derived from the timer, so a tick that
 * fires the same timer twice (a crash, a retry) writes the same event, which a
 * conditional put refuses the second time.
 */
export const timerEventId = (timer: Pick<Timer, 'id'>): string =>
  `timer-${Buffer.from(timer.id).toString('base64url')}`;

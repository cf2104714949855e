import { z } from 'zod';
import { Message } from './message.js';

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

/**
 * A deferred outbox message waiting in the same wheel: when due, the tick writes
 * `message` (a queued copy under a new key) to the outbox instead of an event, and
 * the stream hands that INSERT to `deliver` like any other message.
 */
export const MessageTimer = z.object({
  kind: z.literal('message'),
  /** `msg#<contactId>#<key of the copy>`: the same deferral always files the same timer. */
  id: z.string().min(1),
  contactId: z.string().min(1),
  dueAt: z.iso.datetime(),
  message: Message,
});
export type MessageTimer = z.infer<typeof MessageTimer>;

/**
 * A journey's date trigger coming round for one contact: when due, the tick
 * writes a `date_reached` event naming the journey. Its id holds the occurrence
 * and the due time, so a changed trigger (a new offset) or a changed date files
 * a new timer and the stale one is recognised and ignored when it fires.
 */
export const DateTimer = z.object({
  kind: z.literal('date'),
  /** `date#<journeyId>#<contactId>#<occurrence>#<dueAt>` */
  id: z.string().min(1),
  contactId: z.string().min(1),
  dueAt: z.iso.datetime(),
  journeyId: z.string().min(1),
  /** The calendar date that came round (the birthday this year, the due date), YYYY-MM-DD. */
  occurrence: z.iso.date(),
});
export type DateTimer = z.infer<typeof DateTimer>;

/** What a `date_reached` event carries in `data`. */
export const DateReachedData = DateTimer.pick({ journeyId: true, occurrence: true, dueAt: true });
export type DateReachedData = z.infer<typeof DateReachedData>;

/** Anything the wheel holds: a journey's wake-up call, a deferred message, or a date trigger. */
export type WheelTimer = Timer | MessageTimer | DateTimer;

export const isMessageTimer = (timer: WheelTimer): timer is MessageTimer => 'message' in timer;
export const isDateTimer = (timer: WheelTimer): timer is DateTimer => 'occurrence' in timer;

import type { Contact } from '../../../lib/domain/contact.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import type { Enrollment } from '../../../lib/domain/enrollment.js';
import type { PublishedJourney } from '../../../lib/domain/journey-definition.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { EngineResult } from '../../../lib/domain/journey-engine.js';
import { journeyMessageKey, stepJourney } from '../../../lib/domain/journey-engine.js';
import type { Timer } from '../../../lib/domain/timer.js';
import { timerEventId } from '../../../lib/domain/timer.js';
import type { HistoryStep, RawJourney } from './arbitraries.js';

export const publishRaw = (raw: RawJourney): PublishedJourney => ({
  definition: JourneyDefinition.parse(raw),
  version: 1,
  status: 'active',
  publishedAt: '2026-01-01T00:00:00.000Z',
});

/** One trigger applied to the enrollment it concerned, and the same trigger applied again to the outcome. */
export interface Delivery {
  event: ContactEvent;
  before: Enrollment | undefined;
  result: EngineResult | undefined;
  /** Only when `result` is defined: what a redelivery of the same event does next. */
  replay: EngineResult | undefined;
}

export interface TimerDelivery {
  timer: Timer;
  /** The enrollment was active and waiting on exactly this timer. */
  awaited: boolean;
  resumed: boolean;
}

export interface History {
  deliveries: Delivery[];
  timerDeliveries: TimerDelivery[];
  messageKeys: string[];
  timerIds: string[];
  /** The timer the enrollment still waits on when the run ends, if any. */
  pending?: string | undefined;
}

const minute = 60_000;

/** The `timer` event the tick writes for a due timer, exactly as fire-due-timers does. */
export const timerEvent = (timer: Timer): ContactEvent => {
  const { contactId, ...data } = timer;
  return { id: timerEventId(timer), contactId, type: 'timer', at: timer.dueAt, data };
};

/** How many times the last wait is let out at the end, so journeys that loop on a wait still end the run. */
const drainLimit = 30;

/**
 * Plays a contact's history through the engine the way the journeys function does:
 * an event goes to the contact's enrollment if it is active, otherwise it may start a
 * new one; a timer goes to whatever enrollment there is. Every trigger that changed
 * something is immediately delivered a second time, as a stream retry would.
 * After the history, the pending wait is let out until the journey ends, and every
 * timer ever set is delivered once more.
 */
export const playHistory = (
  journey: PublishedJourney,
  contact: Contact,
  start: Date,
  steps: readonly HistoryStep[],
): History => {
  const history: History = { deliveries: [], timerDeliveries: [], messageKeys: [], timerIds: [] };
  const timers: Timer[] = [];
  let current: Enrollment | undefined;
  let now = start;
  let sequence = 0;

  const advance = (enrollment: Enrollment | undefined, event: ContactEvent, at: Date) =>
    stepJourney({
      journey,
      enrollment,
      contact,
      trigger: { type: 'event', event },
      now: at,
      defaultTimeZone: 'Europe/Berlin',
    });

  const deliver = (event: ContactEvent): EngineResult | undefined => {
    const before = event.type === 'timer' || current?.status === 'active' ? current : undefined;
    const result = advance(before, event, now);
    const replay =
      result === undefined ? undefined : advance(result.enrollment, event, new Date(now.getTime() + minute));
    history.deliveries.push({ event, before, result, replay });
    if (result === undefined) return undefined;
    current = result.enrollment;
    for (const action of result.actions) {
      if (action.type === 'set_timer') {
        timers.push(action.timer);
        history.timerIds.push(action.timer.id);
      } else history.messageKeys.push(journeyMessageKey(result.enrollment, action));
    }
    return result;
  };

  const fire = (timer: Timer, lateMinutes: number) => {
    now = new Date(Math.max(now.getTime(), new Date(timer.dueAt).getTime()) + lateMinutes * minute);
    const before = current;
    const awaited = before?.status === 'active' && before.waiting?.timerId === timer.id;
    const result = deliver(timerEvent(timer));
    history.timerDeliveries.push({ timer, awaited, resumed: result !== undefined });
  };

  for (const step of steps) {
    if (step.kind === 'event') {
      now = new Date(now.getTime() + step.afterMinutes * minute);
      sequence += 1;
      deliver({
        id: `01EVENT${String(sequence).padStart(4, '0')}`,
        contactId: contact.id,
        type: step.type,
        at: now.toISOString(),
        data: step.type === 'unsubscribed' ? {} : { topics: step.topics },
      });
    } else {
      const timer = timers[step.pick % Math.max(timers.length, 1)];
      if (timer !== undefined) fire(timer, step.lateMinutes);
    }
  }

  for (let drained = 0; drained < drainLimit; drained += 1) {
    const waitingOn = current?.status === 'active' ? current.waiting?.timerId : undefined;
    const timer = timers.find((t) => t.id === waitingOn);
    if (timer === undefined) break;
    fire(timer, 0);
  }
  // A journey that loops on a wait never ends: its last timer stays pending and is not delivered.
  history.pending = current?.status === 'active' ? current.waiting?.timerId : undefined;
  for (const timer of [...timers]) if (timer.id !== history.pending) fire(timer, 1);
  return history;
};

export const duplicates = (values: readonly string[]): string[] =>
  [...new Set(values.filter((value, index) => values.indexOf(value) !== index))].sort();

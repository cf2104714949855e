import type { Contact } from '../domain/contact.js';
import type { ContactEventType } from '../domain/contact-event.js';
import { upcomingDateTimers } from '../domain/date-trigger.js';
import { isDateTrigger, type PublishedJourney } from '../domain/journey-definition.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { TimerStore } from '../ports/timer-store.js';

export interface ScheduleDateTriggersDeps {
  journeys: Pick<JourneyStore, 'activeForTrigger'>;
  timers: Pick<TimerStore, 'schedule'>;
  settings: { defaultTimeZone: string };
}

/** Events after which a contact's dates may be new or different. */
export const changesDates = (type: ContactEventType): boolean =>
  type === 'contact_updated' || type === 'signup_confirmed';

/**
 * Files the next occurrence of every date trigger for this contact (of the
 * given journeys, or of every active date-triggered journey). Idempotent: a
 * timer's id is its journey, contact, occurrence and due time, so filing it
 * again changes nothing, and a stale one is ignored when it fires.
 */
export const scheduleDateTriggers = async (
  deps: ScheduleDateTriggersDeps,
  contact: Contact,
  now: Date,
  only?: readonly PublishedJourney[],
): Promise<number> => {
  const journeys = only ?? (await deps.journeys.activeForTrigger('date_reached'));
  const zone = contact.timeZone ?? deps.settings.defaultTimeZone;
  let scheduled = 0;
  for (const journey of journeys) {
    const { trigger, id } = journey.definition;
    if (journey.status !== 'active' || !isDateTrigger(trigger)) continue;
    for (const timer of upcomingDateTimers(id, trigger, contact, now, zone)) {
      await deps.timers.schedule(timer, now);
      scheduled += 1;
    }
  }
  return scheduled;
};

import type { ContactEvent } from '../domain/contact-event.js';
import type { Enrollment } from '../domain/enrollment.js';
import type { JourneyAction } from '../domain/journey-engine.js';
import { advanceJourney, journeyMessageKey } from '../domain/journey-engine.js';
import type { Message } from '../domain/message.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { EnrollmentStore, StartOutcome } from '../ports/enrollment-store.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { StatsStore } from '../ports/stats-store.js';

export interface AdvanceJourneysDeps {
  journeys: JourneyStore;
  enrollments: EnrollmentStore;
  contacts: ContactStore;
  stats: StatsStore;
  clock: Clock;
}

export interface JourneyOutcome {
  journeyId: string;
  outcome: StartOutcome;
  messages: number;
}

const outboxMessage = (enrollment: Enrollment, action: JourneyAction, now: Date): Message => ({
  contactId: enrollment.contactId,
  key: journeyMessageKey(enrollment, action),
  channel: 'email',
  kind: 'marketing',
  templateId: action.template,
  ...(action.topic === undefined ? {} : { topic: action.topic }),
  journeyId: enrollment.journeyId,
  enrollmentId: enrollment.id,
  nodeId: action.nodeId,
  status: 'queued',
  createdAt: now.toISOString(),
  attempts: 0,
});

/**
 * Runs one event through every journey it triggers. The enrollment and its outbox
 * messages are written together and keyed by the event, so a redelivered event
 * finds its enrollment already there and changes nothing.
 */
export const advanceJourneys = async (
  deps: AdvanceJourneysDeps,
  event: ContactEvent,
): Promise<JourneyOutcome[]> => {
  const journeys = await deps.journeys.activeForTrigger(event.type);
  if (journeys.length === 0) return [];
  const contact = await deps.contacts.get(event.contactId);
  if (contact === undefined) return [];
  const now = deps.clock.now();
  const outcomes: JourneyOutcome[] = [];
  for (const journey of journeys) {
    const result = advanceJourney(journey, undefined, { type: 'event', event }, now);
    if (result === undefined) continue;
    const messages = result.actions.map((action) => outboxMessage(result.enrollment, action, now));
    const outcome = await deps.enrollments.start(result.enrollment, messages, {
      once: journey.definition.entry.reentry === 'never',
    });
    if (outcome === 'started') {
      const day = now.toISOString().slice(0, 10);
      await deps.stats.increment(`journey:${journey.definition.id}`, day, 'entered');
    }
    outcomes.push({
      journeyId: journey.definition.id,
      outcome,
      messages: outcome === 'started' ? messages.length : 0,
    });
  }
  return outcomes;
};

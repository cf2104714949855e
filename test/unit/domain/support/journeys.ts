import type { Contact } from '../../../../lib/domain/contact.js';
import type { ContactEvent } from '../../../../lib/domain/contact-event.js';
import type { Enrollment } from '../../../../lib/domain/enrollment.js';
import type { PublishedJourney } from '../../../../lib/domain/journey-definition.js';
import { JourneyDefinition } from '../../../../lib/domain/journey-definition.js';
import type { EngineResult } from '../../../../lib/domain/journey-engine.js';
import { stepJourney } from '../../../../lib/domain/journey-engine.js';
import { timerEventId } from '../../../../lib/domain/timer.js';

export const now = new Date('2026-11-23T10:00:00Z');

export const aContact = (overrides: Partial<Contact> = {}): Contact => ({
  id: 'c1',
  email: 'ann@example.com',
  consent: {
    email: { status: 'subscribed', changedAt: now.toISOString() },
    sms: { status: 'none', changedAt: now.toISOString() },
  },
  topics: ['newsletter'],
  pendingTopics: [],
  attributes: {},
  acquisition: { at: now.toISOString() },
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  version: 1,
  ...overrides,
});

export const anEvent = (overrides: Partial<ContactEvent> = {}): ContactEvent => ({
  id: '01JEVENT',
  contactId: 'c1',
  type: 'signup_confirmed',
  at: now.toISOString(),
  data: {},
  ...overrides,
});

export const publish = (raw: unknown, version = 1): PublishedJourney => ({
  definition: JourneyDefinition.parse(raw),
  version,
  status: 'active',
  publishedAt: now.toISOString(),
});

/** Runs one trigger through the engine; undefined when it did nothing. */
export const tryStep = (
  journey: PublishedJourney,
  enrollment: Enrollment | undefined,
  event: ContactEvent,
  at: Date = now,
  contact: Contact = aContact(),
): EngineResult | undefined =>
  stepJourney({
    journey,
    enrollment,
    contact,
    trigger: { type: 'event', event },
    now: at,
    defaultTimeZone: 'UTC',
  });

/** Runs one trigger through the engine, failing the test if nothing happened. */
export const step = (
  journey: PublishedJourney,
  enrollment: Enrollment | undefined,
  event: ContactEvent,
  at: Date = now,
  contact: Contact = aContact(),
): EngineResult => {
  const result = tryStep(journey, enrollment, event, at, contact);
  if (result === undefined) throw new Error('the engine did nothing');
  return result;
};

/** The `timer` event the tick writes when the enrollment's current wait falls due. */
export const timerFired = (result: EngineResult): ContactEvent => {
  const action = result.actions.find((a) => a.type === 'set_timer');
  if (action?.type !== 'set_timer') throw new Error('no timer was set');
  const { contactId, ...data } = action.timer;
  return anEvent({ id: timerEventId(action.timer), contactId, type: 'timer', at: action.timer.dueAt, data });
};

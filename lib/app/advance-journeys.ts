import type { Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import { durationOf } from '../domain/durations.js';
import type { Enrollment } from '../domain/enrollment.js';
import type { PublishedJourney } from '../domain/journey-definition.js';
import type { EngineResult } from '../domain/journey-engine.js';
import { advanceJourney, journeyMessageKey } from '../domain/journey-engine.js';
import type { Message } from '../domain/message.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type {
  EnrollmentEffects,
  EnrollmentStore,
  EntryRules,
  StartOutcome,
} from '../ports/enrollment-store.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { StatsStore } from '../ports/stats-store.js';

export interface AdvanceJourneysDeps {
  journeys: JourneyStore;
  enrollments: EnrollmentStore;
  contacts: ContactStore;
  stats: StatsStore;
  clock: Clock;
  settings: { defaultTimeZone: string };
}

export type JourneyOutcome =
  | { journeyId: string; enrollmentId: string; outcome: StartOutcome; messages: number }
  | {
      journeyId: string;
      enrollmentId: string;
      outcome: 'advanced';
      status: Enrollment['status'];
      messages: number;
    };

const effectsOf = (result: EngineResult, now: Date): EnrollmentEffects => {
  const messages: Message[] = [];
  const timers = [];
  for (const action of result.actions) {
    switch (action.type) {
      case 'send_email':
        messages.push({
          contactId: result.enrollment.contactId,
          key: journeyMessageKey(result.enrollment, action),
          channel: 'email',
          kind: 'marketing',
          templateId: action.template,
          ...(action.topic === undefined ? {} : { topic: action.topic }),
          journeyId: result.enrollment.journeyId,
          enrollmentId: result.enrollment.id,
          nodeId: action.nodeId,
          status: 'queued',
          createdAt: now.toISOString(),
          attempts: 0,
        });
        break;
      case 'send_sms':
        messages.push({
          contactId: result.enrollment.contactId,
          key: journeyMessageKey(result.enrollment, action),
          channel: 'sms',
          kind: 'marketing',
          templateId: action.nodeId,
          smsBody: action.body,
          journeyId: result.enrollment.journeyId,
          enrollmentId: result.enrollment.id,
          nodeId: action.nodeId,
          status: 'queued',
          createdAt: now.toISOString(),
          attempts: 0,
        });
        break;
      case 'set_timer':
        timers.push(action.timer);
        break;
      default: {
        const unknownAction: never = action;
        throw new Error(`unknown journey action ${JSON.stringify(unknownAction)}`);
      }
    }
  }
  return { messages, timers };
};

/** Per-node daily counters: how many contacts reached each node in this step. */
const countNodeVisits = async (
  deps: AdvanceJourneysDeps,
  before: Enrollment['visits'],
  after: Enrollment,
  day: string,
): Promise<void> => {
  for (const [nodeId, visits] of Object.entries(after.visits)) {
    const added = visits - (before[nodeId] ?? 0);
    if (added > 0)
      await deps.stats.increment(`journey:${after.journeyId}`, day, `node:${nodeId}:entered`, added);
  }
};

const entryRules = (journey: PublishedJourney, now: Date): EntryRules => {
  const { reentry, concurrent } = journey.definition.entry;
  return {
    reentry:
      typeof reentry === 'string'
        ? reentry
        : { since: new Date(now.getTime() - durationOf(reentry.cooldown).as('milliseconds')) },
    exclusive: !concurrent,
  };
};

/**
 * Runs one event through the journeys: first every active enrollment of the
 * contact (a timer firing, an awaited event, a goal, an exit rule), then every
 * journey it may start. Each enrollment's step is one transaction guarded by the
 * enrollment's version, and its effects are keyed by (enrollment, node, visit):
 * a redelivered event finds the state already moved on and changes nothing.
 */
export const advanceJourneys = async (
  deps: AdvanceJourneysDeps,
  event: ContactEvent,
): Promise<JourneyOutcome[]> => {
  const contact = await deps.contacts.get(event.contactId);
  if (contact === undefined) return [];
  const now = deps.clock.now();
  const outcomes: JourneyOutcome[] = [];
  const active = (await deps.enrollments.listForContact(contact.id)).filter((e) => e.status === 'active');
  for (const enrollment of active) {
    const outcome = await advanceEnrollment(deps, contact, enrollment, event, now);
    if (outcome !== undefined) outcomes.push(outcome);
  }
  if (event.type === 'timer') return outcomes;
  for (const journey of await deps.journeys.activeForTrigger(event.type)) {
    const outcome = await enter(deps, contact, journey, event, now);
    if (outcome !== undefined) outcomes.push(outcome);
  }
  return outcomes;
};

const versions = new Map<string, PublishedJourney>();

/** Published versions never change, so an instance may keep every one it has read. */
const journeyVersion = async (deps: AdvanceJourneysDeps, journeyId: string, version: number) => {
  const key = `${journeyId}@${version}`;
  const known = versions.get(key);
  if (known !== undefined) return known;
  const loaded = await deps.journeys.getVersion(journeyId, version);
  if (loaded !== undefined) versions.set(key, loaded);
  return loaded;
};

const advanceEnrollment = async (
  deps: AdvanceJourneysDeps,
  contact: Contact,
  enrollment: Enrollment,
  event: ContactEvent,
  now: Date,
): Promise<JourneyOutcome | undefined> => {
  const version = await journeyVersion(deps, enrollment.journeyId, enrollment.journeyVersion);
  if (version === undefined)
    throw new Error(`journey ${enrollment.journeyId} has no version ${enrollment.journeyVersion}`);
  // Versions are immutable; whether the journey is paused or archived is read from its pointer now.
  const status = await deps.journeys.status(enrollment.journeyId);
  const journey: PublishedJourney = {
    ...version,
    status: status === 'archived' || status === 'paused' ? status : 'active',
  };
  const result = advanceJourney({
    journey,
    enrollment,
    contact,
    trigger: { type: 'event', event },
    now,
    defaultTimeZone: deps.settings.defaultTimeZone,
  });
  if (result === undefined) return undefined;
  const effects = effectsOf(result, now);
  await deps.enrollments.advance(result.enrollment, enrollment.version, effects);
  const day = now.toISOString().slice(0, 10);
  await countNodeVisits(deps, enrollment.visits, result.enrollment, day);
  if (result.enrollment.goalReachedAt !== undefined && enrollment.goalReachedAt === undefined) {
    await deps.stats.increment(`journey:${journey.definition.id}`, day, `goal:${result.enrollment.group}`);
  }
  if (result.enrollment.status !== 'active') {
    await deps.stats.increment(`journey:${journey.definition.id}`, day, result.enrollment.status);
  }
  return {
    journeyId: journey.definition.id,
    enrollmentId: enrollment.id,
    outcome: 'advanced',
    status: result.enrollment.status,
    messages: effects.messages.length,
  };
};

const enter = async (
  deps: AdvanceJourneysDeps,
  contact: Contact,
  journey: PublishedJourney,
  event: ContactEvent,
  now: Date,
): Promise<JourneyOutcome | undefined> => {
  const result = advanceJourney({
    journey,
    enrollment: undefined,
    contact,
    trigger: { type: 'event', event },
    now,
    defaultTimeZone: deps.settings.defaultTimeZone,
  });
  if (result === undefined) return undefined;
  const effects = effectsOf(result, now);
  const outcome = await deps.enrollments.start(result.enrollment, effects, entryRules(journey, now));
  if (outcome === 'started') {
    const day = now.toISOString().slice(0, 10);
    await countNodeVisits(deps, {}, result.enrollment, day);
    await deps.stats.increment(`journey:${journey.definition.id}`, day, `entered:${result.enrollment.group}`);
    if (result.enrollment.status !== 'active') {
      await deps.stats.increment(`journey:${journey.definition.id}`, day, result.enrollment.status);
    }
  }
  return {
    journeyId: journey.definition.id,
    enrollmentId: result.enrollment.id,
    outcome,
    messages: outcome === 'started' ? effects.messages.length : 0,
  };
};

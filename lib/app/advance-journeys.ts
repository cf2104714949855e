import { conditionBudgetMs, withConditionBudget } from '../domain/conditions.js';
import type { Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import { type CounterIncrement, countMarkAt } from '../domain/counter-increment.js';
import { durationOf } from '../domain/durations.js';
import type { Enrollment } from '../domain/enrollment.js';
import { JourneyVersionMissingError, UnstorableItemError } from '../domain/errors.js';
import { eventWorth } from '../domain/event-worth.js';
import type { PublishedJourney } from '../domain/journey-definition.js';
import type { EngineResult } from '../domain/journey-engine.js';
import {
  type EntryItem,
  endEnrollment,
  entryItems,
  journeyMessageContext,
  journeyMessageKey,
  stepJourney,
} from '../domain/journey-engine.js';
import { JourneyMemberships } from '../domain/journey-membership.js';
import type { Message } from '../domain/message.js';
import { type OutboundEvent, outboundEventSource } from '../domain/outbound-event.js';
import { own } from '../domain/own-property.js';
import { metricKey, statsScope } from '../domain/stats-keys.js';
import { DateReachedData } from '../domain/timer.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type {
  ContactAttributesUpdate,
  EnrollmentEffects,
  EnrollmentStore,
  EntryRules,
  StartOutcome,
} from '../ports/enrollment-store.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import {
  changesDates,
  type ScheduleDateTriggersDeps,
  scheduleDateTriggers,
} from './schedule-date-triggers.js';

export interface AdvanceJourneysDeps extends ScheduleDateTriggersDeps {
  journeys: JourneyStore;
  enrollments: EnrollmentStore;
  contacts: ContactStore;
  stats: StatsStore;
  clock: Clock;
  settings: {
    defaultTimeZone: string;
    /** The currency the journey reports' revenue counters are kept in. */
    defaultCurrency: string;
  };
}

export type JourneyOutcome =
  | { journeyId: string; enrollmentId: string; outcome: StartOutcome; messages: number }
  /**
   * The journey could not handle the event (a date no timer can name, conditions
   * over their budget, a step DynamoDB cannot hold). Recorded against this
   * journey alone: the other journeys still handle the event.
   */
  | { journeyId: string; enrollmentId?: string; outcome: 'failed'; error: string }
  | {
      journeyId: string;
      enrollmentId: string;
      outcome: 'advanced';
      status: Enrollment['status'];
      messages: number;
    };

/** What every message a journey queues has: its key from (enrollment, node, visit), and where it came from. */
const journeyMessage = (
  enrollment: Enrollment,
  action: { nodeId: string; visit: number },
  event: ContactEvent,
  now: Date,
) => ({
  context: journeyMessageContext(enrollment, event),
  contactId: enrollment.contactId,
  key: journeyMessageKey(enrollment, action),
  kind: 'marketing' as const,
  journeyId: enrollment.journeyId,
  enrollmentId: enrollment.id,
  nodeId: action.nodeId,
  status: 'queued' as const,
  createdAt: now.toISOString(),
  attempts: 0,
});

/** The id of the `contact_updated` event an update_contact node writes: one per (enrollment, node, visit). */
const updateEventId = (key: string): string => `upd-${Buffer.from(key).toString('base64url')}`;

const effectsOf = (
  result: EngineResult,
  contact: Contact,
  event: ContactEvent,
  now: Date,
): EnrollmentEffects => {
  const messages: Message[] = [];
  const timers = [];
  const outboundEvents: OutboundEvent[] = [];
  let contactUpdate: ContactAttributesUpdate | undefined;
  const { enrollment } = result;
  for (const action of result.actions) {
    switch (action.type) {
      case 'send_email':
        messages.push({
          ...journeyMessage(enrollment, action, event, now),
          channel: 'email',
          templateId: action.template,
          ...(action.topic === undefined ? {} : { topic: action.topic }),
        });
        break;
      case 'send_sms':
        // SMS text lives in the node, so the node names the message.
        messages.push({
          ...journeyMessage(enrollment, action, event, now),
          channel: 'sms',
          templateId: action.nodeId,
          smsBody: action.body,
        });
        break;
      case 'update_contact': {
        const key = journeyMessageKey(enrollment, action);
        const event: ContactEvent = {
          id: updateEventId(key),
          contactId: enrollment.contactId,
          type: 'contact_updated',
          at: now.toISOString(),
          data: {
            changed: action.changed,
            attributes: Object.fromEntries(
              action.changed.map((name) => [name, own(action.attributes, name) ?? null]),
            ),
            journeyId: enrollment.journeyId,
            enrollmentId: enrollment.id,
            nodeId: action.nodeId,
          },
        };
        contactUpdate = {
          contactId: enrollment.contactId,
          expectedVersion: contact.version,
          attributes: action.attributes,
          updatedAt: now.toISOString(),
          events: [...(contactUpdate?.events ?? []), event],
        };
        break;
      }
      case 'emit_event':
        outboundEvents.push({
          id: journeyMessageKey(enrollment, action),
          contactId: enrollment.contactId,
          source: outboundEventSource,
          detailType: action.detailType,
          detail: { ...action.detail, eventId: journeyMessageKey(enrollment, action) },
          journeyId: enrollment.journeyId,
          enrollmentId: enrollment.id,
          nodeId: action.nodeId,
          status: 'pending',
          createdAt: now.toISOString(),
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
  return {
    messages,
    timers,
    outboundEvents,
    ...(contactUpdate === undefined ? {} : { contactUpdate }),
  };
};

/** The contact as the step left it, so the next enrollment in the same event sees its updates. */
const contactAfter = (contact: Contact, effects: EnrollmentEffects): Contact =>
  effects.contactUpdate === undefined
    ? contact
    : {
        ...contact,
        attributes: effects.contactUpdate.attributes,
        updatedAt: effects.contactUpdate.updatedAt,
        version: contact.version + 1,
      };

/** Per-node daily counters: how many contacts reached each node in this step. */
const nodeVisitCounters = (
  before: Enrollment['visits'],
  after: Enrollment,
  day: string,
): CounterIncrement[] =>
  Object.entries(after.visits).flatMap(([nodeId, visits]) => {
    const added = visits - (own(before, nodeId) ?? 0);
    return added > 0
      ? [
          {
            scope: statsScope.journey(after.journeyId),
            day,
            metric: metricKey({ kind: 'node', nodeId, metric: { kind: 'entered' } }),
            by: added,
          },
        ]
      : [];
  });

/** An enrollment that ended in this step, by how. */
const finishedCounters = (after: Enrollment, day: string): CounterIncrement[] =>
  after.status === 'active'
    ? []
    : [
        {
          scope: statsScope.journey(after.journeyId),
          day,
          metric: metricKey({ kind: 'finished', status: after.status }),
          by: 1,
        },
      ];

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
 * contact (a timer firing, an awaited event, a goal, an exit rule), then the
 * finished ones whose goal window is still open (a goal only), then every
 * journey it may start. Each enrollment's step is one transaction guarded by the
 * enrollment's version, and its effects are keyed by (enrollment, node, visit):
 * a redelivered event finds the state already moved on and changes nothing.
 */
export const advanceJourneys = async (
  deps: AdvanceJourneysDeps,
  event: ContactEvent,
  /** The contact as the caller has just read it, so the hot path reads it once. */
  known?: Contact,
): Promise<JourneyOutcome[]> => {
  let contact = known ?? (await deps.contacts.get(event.contactId));
  if (contact === undefined) return [];
  const now = deps.clock.now();
  const outcomes: JourneyOutcome[] = [];
  const enrollments = await deps.enrollments.listForContact(contact.id);
  const memberships = new JourneyMemberships(enrollments);
  const active = enrollments.filter((e) => e.status === 'active');
  const markers = new ActiveMarkers(active);
  // An enrollment whose version is gone waits, untouched, for the version to come back and the
  // record to be redriven; the other journeys handle the event now (see the end of this function).
  let versionMissing: JourneyVersionMissingError | undefined;
  for (const enrollment of active) {
    const before = contact;
    let step: Step;
    try {
      step = await failingAlone(
        deps,
        enrollment.journeyId,
        { event, subject: enrollment.id },
        now,
        enrollment,
        before,
        () => advanceEnrollment(deps, before, enrollment, event, now, memberships),
      );
    } catch (error) {
      if (!(error instanceof JourneyVersionMissingError)) throw error;
      versionMissing ??= error;
      continue;
    }
    if (step === undefined) continue;
    if (step.outcome.outcome !== 'advanced' || step.outcome.status !== 'active') markers.released(enrollment);
    outcomes.push(step.outcome);
    contact = step.contact;
  }
  if (event.type === 'timer') return finished(outcomes, versionMissing);
  // A goal's window runs from entry, not while the enrollment runs: a finished one may still convert.
  const converting = enrollments.filter((e) => e.status !== 'active' && e.goalReachedAt === undefined);
  for (const enrollment of converting) {
    const current = contact;
    // A failure here (a goal condition over its budget) leaves the finished enrollment as it was.
    const step = await failingAlone(
      deps,
      enrollment.journeyId,
      { event, subject: enrollment.id },
      now,
      undefined,
      current,
      () => convertFinished(deps, current, enrollment, event, now, memberships),
    );
    if (step !== undefined) outcomes.push(step.outcome);
  }
  const starting = await deps.journeys.activeForTrigger(event.type);
  for (const journey of starting) {
    // One entry, or one per element of a for_each trigger's list: each its own enrollment and transaction.
    for (const [place, item] of entryItems(journey, event).entries()) {
      const before = contact;
      const step = await failingAlone(
        deps,
        journey.definition.id,
        { event, subject: `entry-${place}` },
        now,
        undefined,
        before,
        () => enter(deps, before, journey, event, now, item, memberships, markers),
      );
      if (step === undefined) continue;
      outcomes.push(step.outcome);
      contact = step.contact;
    }
  }
  if (changesDates(event.type)) await scheduleDateTriggers(deps, contact, now);
  if (event.type === 'date_reached') {
    // The occurrence that just came round is past now, so this files the next one (next year's birthday).
    const named = DateReachedData.safeParse(event.data);
    const journey = named.success ? starting.filter((j) => j.definition.id === named.data.journeyId) : [];
    await scheduleDateTriggers(deps, contact, now, journey);
  }
  return finished(outcomes, versionMissing);
};

/**
 * The outcomes, unless an enrollment's version was missing: then the record fails
 * with that, once everything else is done. It cannot succeed until the version is
 * back, so the stream chain dead-letters it at once; a redrive then finds the other
 * journeys' steps already taken, and takes the waiting one.
 */
const finished = (
  outcomes: JourneyOutcome[],
  versionMissing: JourneyVersionMissingError | undefined,
): JourneyOutcome[] => {
  if (versionMissing !== undefined) throw versionMissing;
  return outcomes;
};

/**
 * The running enrollments that hold their journey's active marker, as this
 * event leaves them. A start the marker would refuse is answered from here and
 * not tried: the refused transaction would change nothing, yet cost a round
 * trip and the write capacity a failed condition consumes (every returning
 * customer's order meets a running win-back). The marker's condition still
 * decides any start raced by another writer.
 */
class ActiveMarkers {
  private readonly holders = new Map<string, Enrollment>();

  constructor(active: readonly Enrollment[]) {
    for (const enrollment of active)
      if (enrollment.holdsActiveMarker === true) this.holders.set(enrollment.journeyId, enrollment);
  }

  released(enrollment: Enrollment): void {
    if (this.holders.get(enrollment.journeyId)?.id === enrollment.id)
      this.holders.delete(enrollment.journeyId);
  }

  taken(enrollment: Enrollment): void {
    this.holders.set(enrollment.journeyId, enrollment);
  }

  /** What the store would answer a start of `entering` under `rules`, when a held marker refuses it; undefined when none does. */
  refusal(entering: Enrollment, rules: EntryRules): StartOutcome | undefined {
    const holder = this.holders.get(entering.journeyId);
    // Only a start that would take the marker is refused by it: one that ends in its first step takes none.
    if (holder === undefined || !rules.exclusive || entering.status !== 'active') return undefined;
    if (holder.id === entering.id) return 'already-started';
    // The holder's own entry wrote the entered marker, which the store checks before the active one.
    if (rules.reentry === 'never') return 'already-entered';
    if (rules.reentry !== 'always' && Date.parse(holder.enteredAt) >= rules.reentry.since.getTime())
      return 'cooling-down';
    return 'already-active';
  }
}

/** A step that failed in the journey's own logic, not in the infrastructure: retrying the record would fail it again. */
class JourneyStepError extends Error {
  override readonly name = 'JourneyStepError';
}

type Step = { outcome: JourneyOutcome; contact: Contact } | undefined;

/**
 * The engine and the effects it asks for, for one journey. Pure, so whatever
 * it throws (a definition that cannot run, a date past 9999, conditions over
 * their budget) is the journey's failure on this event, not the record's.
 */
const engineStep = (
  deps: AdvanceJourneysDeps,
  journey: PublishedJourney,
  enrollment: Enrollment | undefined,
  contact: Contact,
  event: ContactEvent,
  now: Date,
  item?: EntryItem,
): { result: EngineResult; effects: EnrollmentEffects } | undefined => {
  try {
    return withConditionBudget(conditionBudgetMs, () => {
      const result = stepJourney({
        journey,
        enrollment,
        ...(item === undefined ? {} : { item }),
        contact,
        trigger: { type: 'event', event },
        now,
        defaultTimeZone: deps.settings.defaultTimeZone,
      });
      return result === undefined ? undefined : { result, effects: effectsOf(result, contact, event, now) };
    });
  } catch (error) {
    throw new JourneyStepError(error instanceof Error ? `${error.name}: ${error.message}` : String(error), {
      cause: error,
    });
  }
};

/**
 * Runs one journey's part of an event so that its failure stays its own: the
 * enrollment (if any) ends with the error as its reason, the journey's `errors`
 * counter goes up, and the other journeys still handle the event. A fault a
 * retry can fix (a throttled table, a concurrent update) still fails the record.
 */
const failingAlone = async (
  deps: AdvanceJourneysDeps,
  journeyId: string,
  failure: { event: ContactEvent; subject: string },
  now: Date,
  enrollment: Enrollment | undefined,
  contact: Contact,
  step: () => Promise<Step>,
): Promise<Step> => {
  try {
    return await step();
  } catch (error) {
    if (!(error instanceof JourneyStepError || error instanceof UnstorableItemError)) throw error;
    // A redelivered event fails the same way: the mark counts its failure once.
    await deps.stats.countOnce(
      countMarkAt(`journey-error#${journeyId}#${failure.event.id}#${failure.subject}`, now),
      [
        {
          scope: statsScope.journey(journeyId),
          day: now.toISOString().slice(0, 10),
          metric: metricKey({ kind: 'errors' }),
          by: 1,
        },
      ],
    );
    if (enrollment !== undefined) {
      const ended = endEnrollment(enrollment, now, `failed: ${error.message}`.slice(0, 500));
      await deps.enrollments.advance(ended, enrollment.version, noEffects());
    }
    return {
      outcome: {
        journeyId,
        ...(enrollment === undefined ? {} : { enrollmentId: enrollment.id }),
        outcome: 'failed',
        error: error.message,
      },
      contact,
    };
  }
};

const noEffects = (): EnrollmentEffects => ({ messages: [], timers: [], outboundEvents: [] });

/**
 * Published versions never change, so an instance may keep every one it has
 * read: per journey store, because two stores (two deployments served by one
 * process, or a simulation beside the real tables) number their versions alike.
 */
const versionsByStore = new WeakMap<object, Map<string, PublishedJourney>>();

const journeyVersion = async (deps: AdvanceJourneysDeps, journeyId: string, version: number) => {
  let versions = versionsByStore.get(deps.journeys);
  if (versions === undefined) {
    versions = new Map();
    versionsByStore.set(deps.journeys, versions);
  }
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
  memberships: JourneyMemberships,
): Promise<{ outcome: JourneyOutcome; contact: Contact } | undefined> => {
  const version = await journeyVersion(deps, enrollment.journeyId, enrollment.journeyVersion);
  if (version === undefined)
    throw new JourneyVersionMissingError(
      `enrollment ${enrollment.id} of contact ${enrollment.contactId} runs on journey ${enrollment.journeyId} version ${enrollment.journeyVersion}, which the table does not hold`,
    );
  // Versions are immutable; whether the journey is paused or archived is read from its pointer now.
  const status = await deps.journeys.status(enrollment.journeyId);
  const journey: PublishedJourney = {
    ...version,
    status: status === 'archived' || status === 'paused' ? status : 'active',
  };
  const computed = engineStep(deps, journey, enrollment, contact, event, now);
  if (computed === undefined) return undefined;
  const { result, effects } = computed;
  const day = now.toISOString().slice(0, 10);
  // Counted in the step's transaction: a redelivered event finds the step taken and counts nothing.
  await deps.enrollments.advance(result.enrollment, enrollment.version, {
    ...effects,
    counters: [
      ...nodeVisitCounters(enrollment.visits, result.enrollment, day),
      ...goalCounters(deps, memberships, enrollment, result.enrollment, event),
      ...finishedCounters(result.enrollment, day),
    ],
  });
  return {
    outcome: {
      journeyId: journey.definition.id,
      enrollmentId: enrollment.id,
      outcome: 'advanced',
      status: result.enrollment.status,
      messages: effects.messages.length,
    },
    contact: contactAfter(contact, effects),
  };
};

/**
 * The holdout report's counters for an enrollment that reaches its goal in this
 * step, with what the converting event was worth (an order's revenue). They go in
 * the step's transaction: a replayed event finds the goal recorded and counts none.
 */
const goalCounters = (
  deps: AdvanceJourneysDeps,
  memberships: JourneyMemberships,
  before: Enrollment,
  after: Enrollment,
  event: ContactEvent,
): CounterIncrement[] =>
  after.goalReachedAt === undefined || before.goalReachedAt !== undefined
    ? []
    : memberships.reachedGoal(after, eventWorth(event, deps.settings.defaultCurrency));

/**
 * A finished enrollment whose goal window is still open, given an event: the
 * engine decides whether it converts (on the version the enrollment ran), and
 * the goal is stored over the version read, like every step. The journey's
 * status is not read: pausing or archiving a journey does not stop measuring it.
 */
const convertFinished = async (
  deps: AdvanceJourneysDeps,
  contact: Contact,
  enrollment: Enrollment,
  event: ContactEvent,
  now: Date,
  memberships: JourneyMemberships,
): Promise<Step> => {
  const version = await journeyVersion(deps, enrollment.journeyId, enrollment.journeyVersion);
  // Most finished enrollments cannot convert on this event; skip them before the engine.
  if (version?.definition.goal?.event !== event.type) return undefined;
  const computed = engineStep(deps, { ...version, status: 'active' }, enrollment, contact, event, now);
  if (computed === undefined) return undefined;
  // It released its active marker when it ended; another enrollment may hold the marker now.
  const { holdsActiveMarker: _released, ...converted } = computed.result.enrollment;
  await deps.enrollments.advance(converted, enrollment.version, {
    ...computed.effects,
    counters: goalCounters(deps, memberships, enrollment, converted, event),
  });
  return {
    outcome: {
      journeyId: enrollment.journeyId,
      enrollmentId: enrollment.id,
      outcome: 'advanced',
      status: converted.status,
      messages: 0,
    },
    contact,
  };
};

const enter = async (
  deps: AdvanceJourneysDeps,
  contact: Contact,
  journey: PublishedJourney,
  event: ContactEvent,
  now: Date,
  item: EntryItem | undefined,
  memberships: JourneyMemberships,
  markers: ActiveMarkers,
): Promise<{ outcome: JourneyOutcome; contact: Contact } | undefined> => {
  const computed = engineStep(deps, journey, undefined, contact, event, now, item);
  if (computed === undefined) return undefined;
  const { result, effects } = computed;
  const rules = entryRules(journey, now);
  const day = now.toISOString().slice(0, 10);
  // Counted in the entry's transaction: a replayed trigger, or a refused entry, counts nothing.
  const counters = [
    ...nodeVisitCounters({}, result.enrollment, day),
    ...memberships.entering(result.enrollment),
    ...finishedCounters(result.enrollment, day),
  ];
  const outcome =
    markers.refusal(result.enrollment, rules) ??
    (await deps.enrollments.start(result.enrollment, { ...effects, counters }, rules));
  if (outcome === 'started' && rules.exclusive && result.enrollment.status === 'active')
    markers.taken(result.enrollment);
  if (outcome === 'started') memberships.entered(result.enrollment);
  return {
    outcome: {
      journeyId: journey.definition.id,
      enrollmentId: result.enrollment.id,
      outcome,
      messages: outcome === 'started' ? effects.messages.length : 0,
    },
    contact: outcome === 'started' ? contactAfter(contact, effects) : contact,
  };
};

import type { ConditionContext } from './conditions.js';
import { matchesCondition } from './conditions.js';
import type { Contact } from './contact.js';
import type { ContactEvent } from './contact-event.js';
import { withCardView } from './customer-card.js';
import { dateTriggerFired } from './date-trigger.js';
import { unitHash } from './deterministic-hash.js';
import type { Enrollment } from './enrollment.js';
import { isRecord } from './is-record.js';
import { DateOutOfRangeError } from './iso-range.js';
import {
  type EventMatch,
  isDateTrigger,
  type JourneyNode,
  type PublishedJourney,
} from './journey-definition.js';
import type { MessageContext } from './message.js';
import { own } from './own-property.js';
import { resolveReferences, valueAt } from './references.js';
import type { Timer } from './timer.js';
import { TimerEventData } from './timer.js';
import { afterDuration, WaitDateMissingError, waitDueAt } from './wait-time.js';

/** What the engine asks the outside world to do; the app layer turns these into writes. */
export type JourneyAction =
  | {
      type: 'send_email';
      nodeId: string;
      /** How many times this node has run in this enrollment, counting this one. */
      visit: number;
      template: string;
      topic?: string;
    }
  | { type: 'send_sms'; nodeId: string; visit: number; body: string }
  | {
      type: 'update_contact';
      nodeId: string;
      visit: number;
      /** The contact's whole attribute map after the update. */
      attributes: Record<string, unknown>;
      /** The attributes this node set or removed. */
      changed: string[];
    }
  | {
      type: 'emit_event';
      nodeId: string;
      visit: number;
      detailType: string;
      detail: Record<string, unknown>;
    }
  | { type: 'set_timer'; timer: Timer };

export interface EngineResult {
  enrollment: Enrollment;
  actions: JourneyAction[];
}

export type EngineTrigger = { type: 'event'; event: ContactEvent };

/** An element of a `for_each` trigger's list, with its place in the list. */
export interface EntryItem {
  index: number;
  value: unknown;
}

export interface EngineInput {
  journey: PublishedJourney;
  /** Undefined when the trigger may start a new enrollment. */
  enrollment: Enrollment | undefined;
  /** With a `for_each` trigger and no enrollment: the element this entry is for (see entryItems). */
  item?: EntryItem;
  contact: Contact;
  trigger: EngineTrigger;
  now: Date;
  /** For contacts with no time zone of their own. */
  defaultTimeZone: string;
}

export class JourneyDefinitionError extends Error {
  override readonly name = 'JourneyDefinitionError';
}

const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Nodes that run at once, one after another, before a wait; bounded so a corrupt definition cannot spin. */
const maxStepsPerAdvance = 1_000;

/**
 * Sends, events and contact updates one advance may ask for. A step is stored
 * in one transaction (the enrollment, its timer, its markers, and an item per
 * action), and a transaction holds 100 items: past this, the step could never
 * be stored, and the record would fail on every retry.
 */
export const maxActionsPerAdvance = 80;

const enrollmentView = (enrollment: Enrollment) => ({
  id: enrollment.id,
  journeyId: enrollment.journeyId,
  journeyVersion: enrollment.journeyVersion,
  enteredAt: enrollment.enteredAt,
  group: enrollment.group,
  visits: enrollment.visits,
  goalReachedAt: enrollment.goalReachedAt,
  trigger: enrollment.trigger,
});

const conditionContext = (
  contact: Contact,
  event: ContactEvent,
  enrollment: Enrollment,
): ConditionContext => ({ contact: withCardView(contact), event, enrollment: enrollmentView(enrollment) });

const matches = (rule: EventMatch, event: ContactEvent, context: ConditionContext): boolean =>
  rule.event === event.type && matchesCondition(rule.condition, context);

/**
 * An event meets a rule outside any enrollment (a campaign's goal): its type,
 * and its condition over `{ contact, event }` as a journey's goal sees them.
 */
export const eventMeetsRule = (rule: EventMatch, contact: Contact, event: ContactEvent): boolean =>
  matches(rule, event, { contact: withCardView(contact), event });

const triggerMatches = (input: EngineInput, event: ContactEvent, context: ConditionContext): boolean => {
  const { definition } = input.journey;
  const trigger = definition.trigger;
  if (!isDateTrigger(trigger)) return matches(trigger, event, context);
  const zone = input.contact.timeZone ?? input.defaultTimeZone;
  return (
    dateTriggerFired(definition.id, trigger, input.contact, event, zone) &&
    matchesCondition(trigger.condition, context)
  );
};

/**
 * The pure core: (definition, enrollment, trigger, now) → (new enrollment, actions).
 * No I/O, no clock, no randomness: the same input always gives the same output,
 * and every side effect carries a key derived from (enrollment, node, visit), so a
 * replayed trigger maps onto the effects it already produced.
 *
 * Returns undefined when the trigger does not concern this journey or enrollment.
 */
export const stepJourney = (input: EngineInput): EngineResult | undefined =>
  input.enrollment === undefined
    ? enter(input)
    : input.enrollment.status === 'active'
      ? resume(input, input.enrollment)
      : goalAfterFinish(input, input.enrollment);

/**
 * What an event may start in a journey: one entry (undefined: no item) for a
 * plain trigger, or one per element of the `for_each` list, each later decided
 * by the per-element condition. An entry's enrollment id is the event's id, with
 * the element's place appended for a `for_each` trigger, so a replayed event
 * collides with each enrollment it already started.
 */
export const entryItems = (journey: PublishedJourney, event: ContactEvent): Array<EntryItem | undefined> => {
  const { trigger } = journey.definition;
  if (isDateTrigger(trigger) || trigger.for_each === undefined) return [undefined];
  const list = valueAt({ event }, trigger.for_each.items);
  return Array.isArray(list) ? list.map((value, index) => ({ index, value })) : [];
};

/** Whether a `for_each` trigger's element meets its condition (evaluated on `{ contact, event, item }`). */
export const itemMatches = (
  journey: PublishedJourney,
  contact: Contact,
  event: ContactEvent,
  item: EntryItem,
): boolean => {
  const { trigger } = journey.definition;
  const condition = isDateTrigger(trigger) ? undefined : trigger.for_each?.condition;
  return matchesCondition(condition, { contact: withCardView(contact), event, item: item.value });
};

/** Why an event starts no enrollment in a journey (for one `for_each` element), as the engine decides it. */
export type NoEntryReason = 'not-startable' | 'item-condition' | 'trigger-condition' | 'entry-condition';

const newEnrollment = (input: EngineInput): Enrollment => {
  const { journey, contact, trigger, now, item } = input;
  const { definition } = journey;
  const event = trigger.event;
  return {
    id: item === undefined ? event.id : `${event.id}.${item.index}`,
    contactId: event.contactId,
    journeyId: definition.id,
    journeyVersion: journey.version,
    status: 'active',
    currentNode: definition.start,
    group:
      unitHash('holdout', definition.id, contact.id) * 100 < definition.holdout ? 'control' : 'treatment',
    visits: {},
    triggerEventId: event.id,
    trigger: {
      type: event.type,
      at: event.at,
      data: event.data,
      ...(item === undefined ? {} : { item: item.value, itemIndex: item.index }),
    },
    enteredAt: now.toISOString(),
    updatedAt: now.toISOString(),
    version: 1,
  };
};

/**
 * Whether the event may start an enrollment (undefined) or why not: the journey
 * is not active or the event is a timer, an element fails the `for_each`
 * condition, or the trigger or entry condition does not hold. The engine enters
 * by this; a simulation explains a missing entry with it.
 */
export const noEntryReason = (input: EngineInput): NoEntryReason | undefined => {
  const { journey, contact, trigger, item } = input;
  const { definition } = journey;
  const event = trigger.event;
  if (journey.status !== 'active' || event.type === 'timer') return 'not-startable';
  const forEach = isDateTrigger(definition.trigger) ? undefined : definition.trigger.for_each;
  // A for_each trigger starts enrollments for its elements only; a plain one never for an element.
  if ((forEach === undefined) !== (item === undefined)) return 'not-startable';
  if (item !== undefined && !itemMatches(journey, contact, event, item)) return 'item-condition';
  const context = conditionContext(contact, event, newEnrollment(input));
  if (!triggerMatches(input, event, context)) return 'trigger-condition';
  if (!matchesCondition(definition.entry.condition, context)) return 'entry-condition';
  return undefined;
};

const enter = (input: EngineInput): EngineResult | undefined =>
  noEntryReason(input) === undefined
    ? run(input, newEnrollment(input), input.journey.definition.start)
    : undefined;

/** Which rule ended it, and the reason the event gives, if any (a skipped message's `not-subscribed`). */
const exitReason = (rule: EventMatch, event: ContactEvent): string => {
  const given = own(event.data, 'reason');
  return `exit_when ${rule.event}${typeof given === 'string' ? `: ${given}` : ''}`;
};

const timerFor = (enrollment: Enrollment, event: ContactEvent) => {
  if (event.type !== 'timer') return undefined;
  // Most timers a contact's enrollments see are another enrollment's: ruled out before parsing.
  if (isRecord(event.data) && event.data.enrollmentId !== enrollment.id) return undefined;
  const parsed = TimerEventData.safeParse(event.data);
  return parsed.success &&
    parsed.data.enrollmentId === enrollment.id &&
    parsed.data.journeyId === enrollment.journeyId
    ? parsed.data
    : undefined;
};

type Goal = NonNullable<PublishedJourney['definition']['goal']>;

/** The event converts the enrollment: not converted yet, the goal's event and condition, within `within` of entry. */
const reachesGoal = (
  goal: Goal,
  enrollment: Enrollment,
  event: ContactEvent,
  context: ConditionContext,
  now: Date,
): boolean =>
  enrollment.goalReachedAt === undefined &&
  matches(goal, event, context) &&
  now.getTime() <= afterDuration(goal.within, new Date(enrollment.enteredAt), 'UTC').getTime();

/**
 * A goal reached after the enrollment finished. The goal's window runs from
 * entry to entry + `within` whatever became of the enrollment, so a one-send
 * journey, or a control member who walked straight through, still converts when
 * they buy a week later. Only the goal is recorded: nothing runs, nothing is
 * sent, the enrollment stays finished, and its version moves on so a replay
 * finds it converted. Whatever the journey's status: measuring goes on.
 */
const goalAfterFinish = (input: EngineInput, enrollment: Enrollment): EngineResult | undefined => {
  const { contact, now } = input;
  const { goal } = input.journey.definition;
  const event = input.trigger.event;
  if (goal === undefined || event.id === enrollment.triggerEventId) return undefined;
  if (!reachesGoal(goal, enrollment, event, conditionContext(contact, event, enrollment), now))
    return undefined;
  return {
    enrollment: {
      ...enrollment,
      goalReachedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: enrollment.version + 1,
    },
    actions: [],
  };
};

const resume = (input: EngineInput, enrollment: Enrollment): EngineResult | undefined => {
  if (enrollment.status !== 'active') return undefined;
  const { journey, contact, now } = input;
  const { definition } = journey;
  const event = input.trigger.event;
  // Archiving ends every running enrollment, at the next event or timer that reaches it.
  if (journey.status === 'archived') {
    return {
      enrollment: endEnrollment(enrollment, now, 'journey archived'),
      actions: [],
    };
  }
  // The trigger did all it does when the contact entered; a redelivery of it is not a new event.
  if (event.id === enrollment.triggerEventId) return undefined;
  const byId = nodesById(journey);

  if (event.type === 'timer') {
    const timer = timerFor(enrollment, event);
    // A timer for another enrollment, or one whose wait already ended (the awaited event came first).
    if (timer === undefined || enrollment.waiting?.timerId !== timer.id) return undefined;
    const node = byId.get(enrollment.waiting.nodeId);
    if (node?.type === 'wait') return run(input, continued(enrollment, now), node.next);
    if (node?.type === 'wait_for_event') return run(input, continued(enrollment, now), node.timeout_next);
    throw new JourneyDefinitionError(
      `journey ${definition.id} waits at ${enrollment.waiting.nodeId}, which cannot wait`,
    );
  }

  const context = conditionContext(contact, event, enrollment);
  let updated = enrollment;
  const goal = definition.goal;
  if (goal !== undefined && reachesGoal(goal, enrollment, event, context, now)) {
    updated = { ...updated, goalReachedAt: now.toISOString(), updatedAt: now.toISOString() };
    if (goal.exit)
      return {
        enrollment: finished(continued(updated, now), now, 'exited', 'reached the goal'),
        actions: [],
      };
  }

  const exitRule = definition.exit_when.find((rule) => matches(rule, event, context));
  if (exitRule !== undefined) {
    return {
      enrollment: finished(continued(updated, now), now, 'exited', exitReason(exitRule, event)),
      actions: [],
    };
  }

  const waiting = enrollment.waiting;
  if (waiting?.kind === 'event') {
    const node = byId.get(waiting.nodeId);
    const afterWaitBegan =
      event.id !== waiting.startedBy &&
      (waiting.since === undefined || Date.parse(event.at) >= Date.parse(waiting.since));
    if (node?.type === 'wait_for_event' && afterWaitBegan && matches(node, event, context)) {
      return run(input, continued(updated, now), node.next);
    }
  }
  return updated === enrollment
    ? undefined
    : { enrollment: { ...updated, version: enrollment.version + 1 }, actions: [] };
};

/** The enrollment ended where it stands, e.g. when its journey is archived. */
export const endEnrollment = (enrollment: Enrollment, now: Date, reason: string): Enrollment =>
  finished(continued(enrollment, now), now, 'exited', reason);

/** A published definition never changes, so its nodes are indexed once; most events are timers that need them. */
const nodeIndexes = new WeakMap<PublishedJourney['definition'], Map<string, JourneyNode>>();

const nodesById = (journey: PublishedJourney): Map<string, JourneyNode> => {
  const known = nodeIndexes.get(journey.definition);
  if (known !== undefined) return known;
  const index = new Map(journey.definition.nodes.map((node) => [node.id, node]));
  nodeIndexes.set(journey.definition, index);
  return index;
};

/** The next version of a stored enrollment, with the wait that just ended cleared. */
const continued = (enrollment: Enrollment, now: Date): Enrollment => {
  const { waiting: _ended, ...rest } = enrollment;
  return { ...rest, updatedAt: now.toISOString(), version: enrollment.version + 1 };
};

const finished = (
  enrollment: Enrollment,
  now: Date,
  status: 'completed' | 'exited',
  reason: string | undefined,
): Enrollment => {
  const { waiting: _abandoned, currentNode: _last, ...rest } = enrollment;
  return {
    ...rest,
    status,
    finishedAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...(reason === undefined ? {} : { exitReason: reason }),
  };
};

const timerId = (enrollment: Enrollment, nodeId: string, visit: number): string =>
  `${enrollment.journeyId}#${enrollment.id}#${nodeId}#${visit}`;

/** Runs nodes from `startNode` until the enrollment waits or ends. */
const run = (input: EngineInput, from: Enrollment, startNode: string): EngineResult => {
  const { journey, now } = input;
  // update_contact changes the contact for the nodes after it in the same step.
  let contact = input.contact;
  const event = input.trigger.event;
  const byId = nodesById(journey);
  const zone = contact.timeZone ?? input.defaultTimeZone;
  const visits = { ...from.visits };
  const actions: JourneyAction[] = [];
  const act = (action: JourneyAction): void => {
    if (actions.length >= maxActionsPerAdvance) {
      throw new JourneyDefinitionError(
        `journey ${journey.definition.id} asked for more than ${maxActionsPerAdvance} sends, events and updates without waiting`,
      );
    }
    actions.push(action);
  };
  let enrollment: Enrollment = from;
  const done = (status: 'completed' | 'exited', reason?: string): EngineResult => ({
    enrollment: finished({ ...enrollment, visits }, now, status, reason),
    actions,
  });

  let nodeId: string | undefined = startNode;
  for (let steps = 0; nodeId !== undefined; steps += 1) {
    if (steps >= maxStepsPerAdvance) {
      throw new JourneyDefinitionError(`journey ${journey.definition.id} ran ${steps} nodes without waiting`);
    }

    const node = byId.get(nodeId);
    if (node === undefined)
      throw new JourneyDefinitionError(`journey ${journey.definition.id} has no node ${nodeId}`);
    const visit = (own(visits, node.id) ?? 0) + 1;
    visits[node.id] = visit;
    enrollment = { ...enrollment, currentNode: node.id, visits };
    const context = conditionContext(contact, event, enrollment);

    switch (node.type) {
      case 'wait': {
        let dueAt: Date;
        try {
          dueAt = waitDueAt(node, { contact, event, enrollment: enrollmentView(enrollment) }, now, zone);
        } catch (error) {
          // The contact's date is missing, or so far off that no timer can name it (year 9999 plus an offset).
          if (error instanceof WaitDateMissingError || error instanceof DateOutOfRangeError)
            return done('exited', error.message);
          throw error;
        }
        const id = timerId(enrollment, node.id, visit);
        act({ type: 'set_timer', timer: timer(enrollment, node.id, visit, id, dueAt) });
        return {
          enrollment: {
            ...enrollment,
            waiting: { kind: 'timer', nodeId: node.id, timerId: id, dueAt: dueAt.toISOString() },
          },
          actions,
        };
      }
      case 'wait_for_event': {
        const timeoutAt = afterDuration(node.timeout, now, zone);
        const id = timerId(enrollment, node.id, visit);
        act({ type: 'set_timer', timer: timer(enrollment, node.id, visit, id, timeoutAt) });
        return {
          enrollment: {
            ...enrollment,
            waiting: {
              kind: 'event',
              nodeId: node.id,
              timerId: id,
              timeoutAt: timeoutAt.toISOString(),
              startedBy: event.id,
              since: event.at,
            },
          },
          actions,
        };
      }
      case 'branch':
        nodeId =
          node.branches.find((branch) => matchesCondition(branch.condition, context))?.next ?? node.else;
        break;
      case 'split': {
        const total = node.paths.reduce((sum, path) => sum + path.weight, 0);
        let point = unitHash('split', journey.definition.id, node.id, contact.id, String(visit)) * total;
        nodeId = node.paths.find((path) => {
          point -= path.weight;
          return point < 0;
        })?.next;
        nodeId ??= node.paths.at(-1)?.next;
        break;
      }
      case 'send_email':
        // The control group walks the same path, so its goal is comparable, but is sent nothing.
        if (enrollment.group === 'treatment') {
          act({
            type: 'send_email',
            nodeId: node.id,
            visit,
            template: node.template,
            ...(node.topic === undefined ? {} : { topic: node.topic }),
          });
        }
        nodeId = node.next;
        break;
      case 'send_sms':
        if (enrollment.group === 'treatment') {
          act({ type: 'send_sms', nodeId: node.id, visit, body: node.body });
        }
        nodeId = node.next;
        break;
      case 'update_contact': {
        // Data, not a message: the control group's profile changes too, so later branches compare alike.
        const { value } = resolveReferences(node.set, { ...context });
        const set = Object.entries(isRecord(value) ? value : {}).filter(([, v]) => v !== undefined);
        const attributes: Record<string, unknown> = { ...contact.attributes, ...Object.fromEntries(set) };
        for (const name of node.unset) delete attributes[name];
        const changed = [...set.map(([name]) => name), ...node.unset].filter(
          (name) => !sameValue(own(attributes, name), own(contact.attributes, name)),
        );
        if (changed.length > 0) {
          act({ type: 'update_contact', nodeId: node.id, visit, attributes, changed });
          contact = { ...contact, attributes };
        }
        nodeId = node.next;
        break;
      }
      case 'emit_event': {
        // Emitted for both groups, marked with the group: what a consumer does with it is its call.
        const { value } = resolveReferences(node.detail, { ...context });
        act({
          type: 'emit_event',
          nodeId: node.id,
          visit,
          detailType: node.detail_type,
          detail: {
            ...(isRecord(value) ? value : {}),
            contactId: contact.id,
            journeyId: enrollment.journeyId,
            enrollmentId: enrollment.id,
            group: enrollment.group,
          },
        });
        nodeId = node.next;
        break;
      }
      case 'exit':
        return done('exited', node.reason ?? 'reached an exit node');
      default: {
        const unknownNode: never = node;
        throw new JourneyDefinitionError(`unknown node ${JSON.stringify(unknownNode)}`);
      }
    }
  }
  return done('completed');
};

const timer = (enrollment: Enrollment, nodeId: string, visit: number, id: string, dueAt: Date): Timer => ({
  id,
  contactId: enrollment.contactId,
  dueAt: dueAt.toISOString(),
  journeyId: enrollment.journeyId,
  enrollmentId: enrollment.id,
  nodeId,
  visit,
});

/** The outbox key of a journey message: business identity, so a replay maps to the same item. */
/**
 * What a message queued in this step tells its template: the enrollment's
 * trigger (with its `for_each` element), and the event that moved the enrollment
 * to the send. The journeys function stores it on the message; simulation shows it.
 */
export const journeyMessageContext = (enrollment: Enrollment, event: ContactEvent): MessageContext => ({
  ...(enrollment.trigger === undefined ? {} : { trigger: enrollment.trigger }),
  event: { type: event.type, at: event.at, data: event.data },
});

export const journeyMessageKey = (
  enrollment: Enrollment,
  action: { nodeId: string; visit: number },
): string => `${enrollment.journeyId}#${enrollment.id}#${action.nodeId}#${action.visit}`;

import { DateTime } from 'luxon';
import { z } from 'zod';
import { matchesCondition } from './conditions.js';
import { mayReceiveMarketing } from './consent.js';
import type { Channel, Contact } from './contact.js';
import type { ContactEvent } from './contact-event.js';
import { ContactEventType } from './contact-event.js';
import { dateReachedEvent, upcomingDateTimers } from './date-trigger.js';
import type { DeliveryPolicy } from './delivery-policy.js';
import { checkDelivery } from './delivery-policy.js';
import { durationOf } from './durations.js';
import { type RecommendationWish, recommendationsSuffice } from './email-template.js';
import type { Enrollment } from './enrollment.js';
import {
  isDateTrigger,
  type JourneyDefinition,
  type JourneyNode,
  type PublishedJourney,
  triggerEventType,
} from './journey-definition.js';
import type { EngineResult } from './journey-engine.js';
import {
  advanceJourney,
  type EntryItem,
  entryItems,
  itemMatches,
  journeyMessageContext,
} from './journey-engine.js';
import type { MessageContext } from './message.js';
import { own } from './own-property.js';
import { type RecommendationInputs, recommend } from './recommendations.js';
import { VirtualQueue } from './simulation/virtual-queue.js';
import type { Timer } from './timer.js';
import { TimerEventData, timerEventId } from './timer.js';

/** An event to feed the simulation; `id` defaults to its position, so enrollment ids are stable. */
export const SimulationEvent = z.object({
  id: z.string().min(1).optional(),
  type: ContactEventType.exclude(['timer', 'date_reached']),
  at: z.union([z.date(), z.iso.datetime({ offset: true })]),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type SimulationEvent = z.infer<typeof SimulationEvent>;

export interface SimulationInput {
  definition: JourneyDefinition;
  contact: Contact;
  events: readonly SimulationEvent[];
  from: Date;
  to: Date;
  /** Without one, nothing is capped or held for quiet hours. */
  policy?: DeliveryPolicy;
  /** For a contact with no time zone of their own; UTC if not given. */
  defaultTimeZone?: string;
  /** Marketing sends before `from` (e.g. from other journeys), which the caps count. */
  sentBefore?: Partial<Record<Channel, readonly Date[]>>;
  /**
   * For templates that ask for recommendations (`skip_unless`): what each template
   * wants, and the catalog data to pick from, read once for the whole window. The
   * picks at each moment are the real ranking's (lib/domain/recommendations.ts).
   * Without it, such templates are taken as having something to show.
   */
  recommendations?: { wishes: ReadonlyMap<string, RecommendationWish>; data: RecommendationInputs };
}

export type SkipReason =
  | 'capped'
  | 'quiet-hours'
  | 'not-subscribed'
  | 'topic-not-subscribed'
  | 'no-phone'
  | 'nothing-to-recommend'
  | 'control-group';

export type NotEnteredReason =
  /** The event is the trigger's type, but its condition did not match. */
  | 'trigger-condition'
  | 'entry-condition'
  /** A `for_each` trigger's element did not match its condition. */
  | 'item-condition'
  /** A `for_each` trigger's list was missing or empty. */
  | 'no-items'
  /** `reentry: never`, and the contact entered before. */
  | 'already-entered'
  /** `reentry: { cooldown }`, and the contact entered within it. */
  | 'cooling-down'
  /** `concurrent: false`, and the contact is in the journey now. */
  | 'already-active'
  /** Two input events share an id: the second replays the first. */
  | 'already-started';

interface SendDetails {
  enrollmentId: string;
  node: string;
  channel: Channel;
  template: string;
  /** What the message's template would see as `trigger` and `event`, as the journeys function stores it. */
  context?: MessageContext;
}

/** One line of what happened, in time order. Times are ISO strings so a timeline serializes as is. */
export type TimelineEntry =
  | { at: string; kind: 'entered'; enrollmentId: string; group: 'treatment' | 'control' }
  | { at: string; kind: 'not-entered'; eventId: string; reason: NotEnteredReason }
  | {
      at: string;
      kind: 'waiting';
      enrollmentId: string;
      node: string;
      until: string;
      /** For a wait_for_event: the event that ends the wait early. */
      event?: ContactEventType;
    }
  | ({ at: string; kind: 'sent' } & SendDetails)
  | ({ at: string; kind: 'skipped'; reason: SkipReason } & SendDetails)
  | ({ at: string; kind: 'deferred'; until: string; reason: 'capped' | 'quiet-hours' } & SendDetails)
  | { at: string; kind: 'updated'; enrollmentId: string; node: string; changed: string[] }
  | { at: string; kind: 'emitted'; enrollmentId: string; node: string; detailType: string }
  | { at: string; kind: 'goal'; enrollmentId: string }
  | { at: string; kind: 'exited'; enrollmentId: string; reason: string }
  | { at: string; kind: 'completed'; enrollmentId: string };

export interface SimulationResult {
  timeline: TimelineEntry[];
  /** Every enrollment as it stands at `to`. */
  enrollments: Enrollment[];
  /** The contact as the events left it (consent, topics). */
  contact: Contact;
}

export class SimulationInputError extends Error {
  override readonly name = 'SimulationInputError';
}

/** Each step is one event or one retried send; a journey that needs more than this is broken. */
const maxSteps = 20_000;

/**
 * More lines than anyone reads, and the bound on a simulation's time and memory:
 * a loop through 200 nodes every second would otherwise run for a minute and
 * fill gigabytes before the step limit stopped it.
 */
export const maxTimelineEntries = 10_000;

interface PendingSend extends SendDetails {
  topic?: string;
}

type Due = { kind: 'event'; event: ContactEvent } | { kind: 'retry'; send: PendingSend };

const channelOfNodeType = (type: string): Channel | undefined =>
  type === 'send_email' ? 'email' : type === 'send_sms' ? 'sms' : undefined;

const templateOf = (node: JourneyNode): string => ('template' in node ? node.template : node.id);

const parseEvents = (contact: Contact, events: readonly SimulationEvent[]): ContactEvent[] => {
  const parsed = z.array(SimulationEvent).safeParse(events);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `events.${issue.path.join('.')}: ${issue.message}`);
    throw new SimulationInputError(problems.join('; '));
  }
  return parsed.data.map((event, index) => ({
    id: event.id ?? `sim-event-${String(index + 1).padStart(4, '0')}`,
    contactId: contact.id,
    type: event.type,
    at: new Date(event.at).toISOString(),
    data: event.data ?? {},
  }));
};

const stringsIn = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;

/** The profile writes that come with these events in the real system, so consent is right at send time. */
const contactAfter = (contact: Contact, event: ContactEvent): Contact => {
  const changed = { status: 'subscribed' as const, changedAt: event.at };
  switch (event.type) {
    case 'unsubscribed': {
      const channel: Channel = event.data.channel === 'sms' ? 'sms' : 'email';
      return {
        ...contact,
        consent: { ...contact.consent, [channel]: { status: 'unsubscribed', changedAt: event.at } },
      };
    }
    case 'signup_confirmed': {
      const granted = stringsIn(event.data.topics) ?? [];
      return {
        ...contact,
        consent: { ...contact.consent, email: changed },
        topics: [...new Set([...contact.topics, ...granted])],
        pendingTopics: [],
      };
    }
    case 'topics_changed': {
      // The preference center re-subscribes an unsubscribed contact who saves topics.
      const topics = stringsIn(event.data.topics);
      return topics === undefined
        ? contact
        : { ...contact, topics, consent: { ...contact.consent, email: changed } };
    }
    default:
      return contact;
  }
};

/**
 * Runs one journey for one contact over virtual time with the real engine: the
 * given events and every timer the engine sets go through one queue in time
 * order, as the journeys function and the timer tick would see them. Sends are
 * checked as `deliver` checks them at send time: consent (which the events may
 * change) and the delivery policy, counting the sends so far. Entry rules
 * (reentry, concurrent) are applied here as the enrollment store applies them.
 * Pure and deterministic.
 */
export const simulate = (input: SimulationInput): SimulationResult => {
  const { definition, from, to, policy } = input;
  const defaultTimeZone = input.defaultTimeZone ?? 'UTC';
  const journey: PublishedJourney = {
    definition,
    version: 1,
    status: 'active',
    publishedAt: from.toISOString(),
  };
  const nodes = new Map(definition.nodes.map((node) => [node.id, node]));
  let contact = input.contact;
  const zone = contact.timeZone ?? defaultTimeZone;
  const timeline: TimelineEntry[] = [];
  const enrollments: Enrollment[] = [];
  const sends: Record<Channel, Date[]> = {
    email: [...(input.sentBefore?.email ?? [])],
    sms: [...(input.sentBefore?.sms ?? [])],
  };
  let lastEnteredAt: Date | undefined;
  const queue = new VirtualQueue<Due>();
  for (const event of parseEvents(contact, input.events)) {
    if (new Date(event.at).getTime() >= from.getTime())
      queue.push(new Date(event.at), { kind: 'event', event });
  }

  /** As deliver: the timeline says why, and the journey hears of it (`message_skipped`), as its exit rules may. */
  const skipped = (details: SendDetails, reason: Exclude<SkipReason, 'control-group'>, now: Date): void => {
    timeline.push({ at: now.toISOString(), kind: 'skipped', reason, ...details });
    queue.push(now, {
      kind: 'event',
      event: {
        id: `skip-${details.enrollmentId}-${details.node}-${now.getTime()}`,
        contactId: contact.id,
        type: 'message_skipped',
        at: now.toISOString(),
        data: {
          journeyId: definition.id,
          enrollmentId: details.enrollmentId,
          nodeId: details.node,
          channel: details.channel,
          templateId: details.template,
          reason,
        },
      },
    });
  };

  /** What a template that asks for recommendations would show now; undefined when it asks for none. */
  const picks = (send: PendingSend, now: Date) => {
    const wish = send.channel === 'email' ? input.recommendations?.wishes.get(send.template) : undefined;
    if (wish === undefined || input.recommendations === undefined) return undefined;
    const card = contact.customer;
    const items =
      card === undefined ? [] : recommend(card, input.recommendations.data, { now, limit: wish.limit });
    return { wish, items };
  };

  const attemptSend = (send: PendingSend, now: Date): void => {
    const at = now.toISOString();
    const { topic, ...details } = send;
    if (send.channel === 'sms' && contact.phone === undefined) {
      skipped(details, 'no-phone', now);
      return;
    }
    const permission = mayReceiveMarketing(
      contact.consent[send.channel].status,
      send.channel === 'sms' ? [] : contact.topics,
      send.channel === 'sms' ? undefined : topic,
    );
    if (permission !== 'allowed') {
      skipped(details, permission, now);
      return;
    }
    if (policy !== undefined) {
      const verdict = checkDelivery(policy, send.channel, {
        sentAt: sends[send.channel],
        now,
        timeZone: zone,
      });
      if (verdict.verdict === 'skip') {
        skipped(details, verdict.reason, now);
        return;
      }
      if (verdict.verdict === 'defer') {
        timeline.push({
          at,
          kind: 'deferred',
          until: verdict.until.toISOString(),
          reason: verdict.reason,
          ...details,
        });
        queue.push(verdict.until, { kind: 'retry', send });
        return;
      }
    }
    const picked = picks(send, now);
    if (picked !== undefined && !recommendationsSuffice(picked.wish, picked.items)) {
      skipped(details, 'nothing-to-recommend', now);
      return;
    }
    sends[send.channel].push(now);
    timeline.push({ at, kind: 'sent', ...details });
    // As deliver remembers it: "new since the last recommendation" moves on.
    if (picked !== undefined && picked.items.length > 0 && contact.customer !== undefined) {
      contact = { ...contact, customer: { ...contact.customer, lastRecommendedAt: at } };
    }
  };

  const queuedDates = new Set<string>();
  /** Like the journeys function: the next occurrence of a date trigger is filed whenever the dates may have moved. */
  const scheduleDates = (now: Date): void => {
    const trigger = definition.trigger;
    if (!isDateTrigger(trigger)) return;
    for (const timer of upcomingDateTimers(definition.id, trigger, contact, now, zone)) {
      const event = dateReachedEvent(timer, new Date(timer.dueAt));
      if (queuedDates.has(event.id)) continue;
      queuedDates.add(event.id);
      queue.push(new Date(timer.dueAt), { kind: 'event', event });
    }
  };

  const schedule = (timer: Timer, now: Date): void => {
    // A wait until a date already past fires on the next tick.
    const dueAt = new Date(Math.max(new Date(timer.dueAt).getTime(), now.getTime()));
    const { contactId, ...data } = timer;
    queue.push(dueAt, {
      kind: 'event',
      event: {
        id: timerEventId(timer),
        contactId,
        type: 'timer',
        at: dueAt.toISOString(),
        data: TimerEventData.parse(data),
      },
    });
  };

  /** The control group's sends: the engine leaves them out, so they are read off the nodes it visited. */
  const sparedSends = (before: Enrollment | undefined, after: Enrollment, at: string): TimelineEntry[] =>
    definition.nodes.flatMap((node): TimelineEntry[] => {
      const channel = channelOfNodeType(node.type);
      const visited = (own(after.visits, node.id) ?? 0) > (own(before?.visits ?? {}, node.id) ?? 0);
      if (channel === undefined || !visited) return [];
      return [
        {
          at,
          kind: 'skipped',
          reason: 'control-group',
          enrollmentId: after.id,
          node: node.id,
          channel,
          template: templateOf(node),
        },
      ];
    });

  const record = (
    before: Enrollment | undefined,
    result: EngineResult,
    event: ContactEvent,
    now: Date,
  ): void => {
    const after = result.enrollment;
    const context = journeyMessageContext(after, event);
    const at = now.toISOString();
    if (before === undefined)
      timeline.push({ at, kind: 'entered', enrollmentId: after.id, group: after.group });
    if (after.group === 'control') timeline.push(...sparedSends(before, after, at));
    for (const action of result.actions) {
      switch (action.type) {
        case 'send_email':
          attemptSend(
            {
              enrollmentId: after.id,
              node: action.nodeId,
              channel: 'email',
              template: action.template,
              ...(action.topic === undefined ? {} : { topic: action.topic }),
              context,
            },
            now,
          );
          break;
        case 'send_sms':
          // SMS text lives in the node, so the node names the message.
          attemptSend(
            { enrollmentId: after.id, node: action.nodeId, channel: 'sms', template: action.nodeId, context },
            now,
          );
          break;
        case 'set_timer':
          schedule(action.timer, now);
          break;
        case 'update_contact':
          contact = { ...contact, attributes: action.attributes };
          timeline.push({
            at,
            kind: 'updated',
            enrollmentId: after.id,
            node: action.nodeId,
            changed: action.changed,
          });
          // The real store writes a contact_updated event with the change; other rules may react to it.
          queue.push(now, {
            kind: 'event',
            event: {
              id: `upd-${after.id}-${action.nodeId}-${action.visit}`,
              contactId: contact.id,
              type: 'contact_updated',
              at,
              data: { changed: action.changed },
            },
          });
          break;
        case 'emit_event':
          timeline.push({
            at,
            kind: 'emitted',
            enrollmentId: after.id,
            node: action.nodeId,
            detailType: action.detailType,
          });
          break;
        default: {
          const unknownAction: never = action;
          throw new Error(`unknown engine action ${JSON.stringify(unknownAction)}`);
        }
      }
    }
    const waiting = after.waiting;
    if (waiting !== undefined && waiting.timerId !== before?.waiting?.timerId) {
      const node = nodes.get(waiting.nodeId);
      timeline.push({
        at,
        kind: 'waiting',
        enrollmentId: after.id,
        node: waiting.nodeId,
        until: waiting.kind === 'timer' ? waiting.dueAt : waiting.timeoutAt,
        ...(node?.type === 'wait_for_event' ? { event: node.event } : {}),
      });
    }
    if (after.goalReachedAt !== undefined && before?.goalReachedAt === undefined) {
      timeline.push({ at, kind: 'goal', enrollmentId: after.id });
    }
    if (after.status === 'exited') {
      timeline.push({ at, kind: 'exited', enrollmentId: after.id, reason: after.exitReason ?? 'exited' });
    } else if (after.status === 'completed') {
      timeline.push({ at, kind: 'completed', enrollmentId: after.id });
    }
  };

  /** Mirrors the enrollment store's markers: the entered marker first, then the active one. */
  const entryRefusal = (entering: Enrollment, now: Date): NotEnteredReason | undefined => {
    if (enrollments.some((enrollment) => enrollment.id === entering.id)) return 'already-started';
    const { reentry, concurrent } = definition.entry;
    if (reentry === 'never' && lastEnteredAt !== undefined) return 'already-entered';
    if (typeof reentry === 'object' && lastEnteredAt !== undefined) {
      const since = now.getTime() - durationOf(reentry.cooldown).as('milliseconds');
      if (lastEnteredAt.getTime() >= since) return 'cooling-down';
    }
    const active = enrollments.some((enrollment) => enrollment.status === 'active');
    if (!concurrent && entering.status === 'active' && active) return 'already-active';
    return undefined;
  };

  const enter = (event: ContactEvent, now: Date): void => {
    if (event.type !== triggerEventType(definition.trigger)) return;
    const items = entryItems(journey, event);
    if (items.length === 0) {
      timeline.push({ at: now.toISOString(), kind: 'not-entered', eventId: event.id, reason: 'no-items' });
    }
    for (const item of items) enterFor(event, now, item);
  };

  const enterFor = (event: ContactEvent, now: Date, item: EntryItem | undefined): void => {
    const result = advanceJourney({
      journey,
      enrollment: undefined,
      ...(item === undefined ? {} : { item }),
      contact,
      trigger: { type: 'event', event },
      now,
      defaultTimeZone,
    });
    const refusal: NotEnteredReason | undefined =
      result === undefined
        ? !matchesCondition(definition.trigger.condition, { contact, event })
          ? 'trigger-condition'
          : item !== undefined && !itemMatches(journey, contact, event, item)
            ? 'item-condition'
            : 'entry-condition'
        : entryRefusal(result.enrollment, now);
    if (result === undefined || refusal !== undefined) {
      timeline.push({
        at: now.toISOString(),
        kind: 'not-entered',
        eventId: event.id,
        reason: refusal ?? 'trigger-condition',
      });
      return;
    }
    if (definition.entry.reentry !== 'always') lastEnteredAt = now;
    enrollments.push(result.enrollment);
    record(undefined, result, event, now);
  };

  const handle = (event: ContactEvent, now: Date): void => {
    contact = contactAfter(contact, event);
    // Like the journeys function: the contact's running enrollments first, then a possible new entry.
    const active = enrollments.flatMap((enrollment, index) =>
      enrollment.status === 'active' ? [index] : [],
    );
    for (const index of active) {
      const enrollment = enrollments[index];
      if (enrollment === undefined) continue;
      const result = advanceJourney({
        journey,
        enrollment,
        contact,
        trigger: { type: 'event', event },
        now,
        defaultTimeZone,
      });
      if (result === undefined) continue;
      enrollments[index] = result.enrollment;
      record(enrollment, result, event, now);
    }
    if (event.type !== 'timer') enter(event, now);
    if (
      event.type === 'contact_updated' ||
      event.type === 'signup_confirmed' ||
      event.type === 'date_reached'
    )
      scheduleDates(now);
  };

  scheduleDates(from);

  for (let steps = 0; ; steps += 1) {
    const due = queue.popUntil(to);
    if (due === undefined) break;
    if (steps >= maxSteps) {
      throw new SimulationInputError(
        `the simulation ran ${maxSteps} steps before ${to.toISOString()}; simulate a shorter window, or give the loop a longer wait`,
      );
    }
    if (due.item.kind === 'event') handle(due.item.event, due.at);
    else attemptSend(due.item.send, due.at);
    if (timeline.length > maxTimelineEntries) {
      throw new SimulationInputError(
        `the simulation wrote more than ${maxTimelineEntries} lines before ${to.toISOString()}; simulate a shorter window, or give the loop a longer wait`,
      );
    }
  }
  return { timeline, enrollments, contact };
};

const notEnteredText: Record<NotEnteredReason, string> = {
  'trigger-condition': 'the trigger condition did not match',
  'entry-condition': 'the entry condition did not match',
  'already-entered': 'entered before, and reentry is never',
  'cooling-down': 'entered within the reentry cooldown',
  'already-active': 'already in the journey, and concurrent is false',
  'already-started': 'the same event started an enrollment already',
  'item-condition': "the list element did not match the trigger's for_each condition",
  'no-items': "the trigger's for_each list was missing or empty",
};

const sendText = (entry: SendDetails): string => `${entry.channel} ${entry.template} (node ${entry.node})`;

const detailOf = (entry: TimelineEntry, time: (iso: string) => string): string => {
  switch (entry.kind) {
    case 'entered':
      return entry.group === 'control' ? 'control group: tracked, sent nothing' : '';
    case 'not-entered':
      return `event ${entry.eventId}: ${notEnteredText[entry.reason]}`;
    case 'waiting':
      return `at ${entry.node} until ${time(entry.until)}${entry.event === undefined ? '' : `, or a ${entry.event} event`}`;
    case 'sent':
      return sendText(entry);
    case 'skipped':
      return `${sendText(entry)}: ${entry.reason}`;
    case 'deferred':
      return `${sendText(entry)} until ${time(entry.until)}: ${entry.reason}`;
    case 'goal':
      return 'reached the goal';
    case 'exited':
      return entry.reason;
    case 'completed':
      return 'reached the end';
    case 'updated':
      return `set ${entry.changed.join(', ')} (node ${entry.node})`;
    case 'emitted':
      return `${entry.detailType} (node ${entry.node})`;
    default: {
      const unknownEntry: never = entry;
      throw new Error(`unknown timeline entry ${JSON.stringify(unknownEntry)}`);
    }
  }
};

/** The timeline as aligned lines for a terminal, times in the given zone (UTC by default). */
export const formatTimeline = (
  entries: readonly TimelineEntry[],
  options: { timeZone?: string } = {},
): string[] => {
  const zone = options.timeZone ?? 'UTC';
  const time = (iso: string): string => {
    const local = DateTime.fromISO(iso, { zone });
    return (local.isValid ? local : DateTime.fromISO(iso, { zone: 'UTC' })).toFormat('yyyy-LL-dd HH:mm ZZZZ');
  };
  const rows = entries.map((entry) => [
    time(entry.at),
    entry.kind,
    'enrollmentId' in entry ? entry.enrollmentId : '',
    detailOf(entry, time),
  ]);
  const widths = [0, 1, 2].map((column) => Math.max(0, ...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
};

import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { z } from 'zod';
import type { Contact } from '../../../lib/domain/contact.js';
import type { JourneyDefinition, Weekday } from '../../../lib/domain/journey-definition.js';

/** The raw YAML-shaped input the definition schema accepts, before defaults are filled in. */
export type RawJourney = z.input<typeof JourneyDefinition>;
type RawNode = RawJourney['nodes'][number];

export const topics = ['newsletter', 'recommendations', 'offers'] as const;
export const zones = [
  'Europe/Berlin',
  'America/New_York',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
] as const;
export const weekdays: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Event types a contact produces; `timer` events only come from timers the engine scheduled. */
export const contactEventTypes = ['signup_confirmed', 'topics_changed', 'unsubscribed'] as const;
export type ContactEventKind = (typeof contactEventTypes)[number];

const topic = fc.constantFrom(...topics);
const topicSet = fc.subarray([...topics]);
const eventType = fc.constantFrom(...contactEventTypes);

const condition = fc.oneof(
  topic.map((t) => ({ 'contact.topics': t })),
  topic.map((t) => ({ 'event.data.topics': t })),
  fc.constant({ 'enrollment.group': 'control' }),
);

const waitTiming = fc.oneof(
  fc.constantFrom('PT15M', 'PT1H', 'P1D', 'P3D', 'P1W').map((duration) => ({ duration })),
  fc
    .record(
      {
        at: fc.constantFrom('02:30', '09:00', '21:45'),
        weekdays: fc.subarray([...weekdays], { minLength: 1 }),
      },
      { requiredKeys: ['at'] },
    )
    .map((until) => ({ until })),
);

/**
 * A node tree; `{ back: n }` points to the n-th ancestor (itself included), so a loop
 * always leaves from a pausing node and so always contains a wait.
 */
type Back = { back: number };
type Shape =
  | { kind: 'exit' }
  | { kind: 'send_email'; template: string; topic: string | undefined; next: Shape | undefined }
  | { kind: 'send_sms'; body: string; next: Shape | undefined }
  | {
      kind: 'wait';
      timing: { duration: string } | { until: { at: string; weekdays?: Weekday[] } };
      next: Shape | Back;
    }
  | {
      kind: 'wait_for_event';
      event: ContactEventKind;
      condition: Record<string, unknown> | undefined;
      timeout: string;
      next: Shape | Back;
      timeoutNext: Shape | Back;
    }
  | { kind: 'branch'; branches: Array<{ condition: Record<string, unknown>; next: Shape }>; otherwise: Shape }
  | { kind: 'split'; paths: Array<{ weight: number; next: Shape }> };

const back = fc.nat({ max: 6 }).map((n): Back => ({ back: n }));

const shapes = fc.letrec<{
  node: Shape;
  email: Shape;
  sms: Shape;
  wait: Shape;
  listen: Shape;
  branch: Shape;
  split: Shape;
}>((tie) => ({
  // At the depth limit fast-check takes the first option, so trees always end.
  node: fc.oneof(
    { maxDepth: 6, depthIdentifier: 'journey' },
    fc.constant<Shape>({ kind: 'exit' }),
    tie('email'),
    tie('sms'),
    tie('wait'),
    tie('listen'),
    tie('branch'),
    tie('split'),
  ),
  email: fc.record({
    kind: fc.constant('send_email' as const),
    template: fc.constantFrom('welcome', 'tips', 'offer'),
    topic: fc.option(topic, { nil: undefined }),
    next: fc.option(tie('node'), { nil: undefined }),
  }),
  sms: fc.record({
    kind: fc.constant('send_sms' as const),
    body: fc.constantFrom('Hi {{ contact.name }}', 'New books are in'),
    next: fc.option(tie('node'), { nil: undefined }),
  }),
  wait: fc.record({
    kind: fc.constant('wait' as const),
    timing: waitTiming,
    next: fc.oneof({ depthIdentifier: 'journey' }, tie('node'), back),
  }),
  listen: fc.record({
    kind: fc.constant('wait_for_event' as const),
    event: eventType,
    condition: fc.option(condition, { nil: undefined }),
    timeout: fc.constantFrom('PT30M', 'P1D', 'P7D'),
    next: fc.oneof({ depthIdentifier: 'journey' }, tie('node'), back),
    timeoutNext: fc.oneof({ depthIdentifier: 'journey' }, tie('node'), back),
  }),
  branch: fc.record({
    kind: fc.constant('branch' as const),
    branches: fc.array(fc.record({ condition, next: tie('node') }), { minLength: 1, maxLength: 2 }),
    otherwise: tie('node'),
  }),
  split: fc.record({
    kind: fc.constant('split' as const),
    paths: fc.array(fc.record({ weight: fc.integer({ min: 1, max: 10 }), next: tie('node') }), {
      minLength: 2,
      maxLength: 3,
    }),
  }),
})).node;

/** Numbers the tree depth first into nodes `n0`, `n1`, …; `n0` is the start. */
const flatten = (root: Shape): RawNode[] => {
  const nodes: RawNode[] = [];
  const place = (shape: Shape, ancestors: readonly string[]): string => {
    const id = `n${nodes.length}`;
    const index = nodes.length;
    nodes.push({ id, type: 'exit' });
    const path = [...ancestors, id];
    const target = (next: Shape | Back): string =>
      'kind' in next ? place(next, path) : (path[path.length - 1 - (next.back % path.length)] ?? id);
    let node: RawNode;
    switch (shape.kind) {
      case 'exit':
        node = { id, type: 'exit' };
        break;
      case 'send_email':
        node = {
          id,
          type: 'send_email',
          template: shape.template,
          ...(shape.topic === undefined ? {} : { topic: shape.topic }),
          ...(shape.next === undefined ? {} : { next: place(shape.next, path) }),
        };
        break;
      case 'send_sms':
        node = {
          id,
          type: 'send_sms',
          body: shape.body,
          ...(shape.next === undefined ? {} : { next: place(shape.next, path) }),
        };
        break;
      case 'wait':
        node = { id, type: 'wait', ...shape.timing, next: target(shape.next) };
        break;
      case 'wait_for_event':
        node = {
          id,
          type: 'wait_for_event',
          event: shape.event,
          ...(shape.condition === undefined ? {} : { condition: shape.condition }),
          timeout: shape.timeout,
          next: target(shape.next),
          timeout_next: target(shape.timeoutNext),
        };
        break;
      case 'branch':
        node = {
          id,
          type: 'branch',
          branches: shape.branches.map((branch) => ({
            condition: branch.condition,
            next: place(branch.next, path),
          })),
          else: place(shape.otherwise, path),
        };
        break;
      case 'split':
        node = {
          id,
          type: 'split',
          paths: shape.paths.map((p) => ({ weight: p.weight, next: place(p.next, path) })),
        };
        break;
      default: {
        const unknownShape: never = shape;
        throw new Error(`unknown shape ${JSON.stringify(unknownShape)}`);
      }
    }
    nodes[index] = node;
    return id;
  };
  place(root, []);
  return nodes;
};

/** A journey valid by construction: chains and trees of every node type, with loops only through waits. */
export const journeyArb: fc.Arbitrary<RawJourney> = fc
  .record({
    root: shapes,
    trigger: fc.constantFrom<ContactEventKind>('signup_confirmed', 'topics_changed'),
    exitOnUnsubscribe: fc.boolean(),
    goal: fc.option(
      fc.record({
        event: fc.constant('topics_changed' as const),
        condition: topic.map((t) => ({ 'event.data.topics': t })),
        within: fc.constantFrom('P1D', 'P7D'),
        exit: fc.boolean(),
      }),
      { nil: undefined },
    ),
    holdout: fc.integer({ min: 0, max: 50 }),
  })
  .map(({ root, trigger, exitOnUnsubscribe, goal, holdout }) => ({
    id: 'random-journey',
    name: 'Random journey',
    trigger: { event: trigger },
    exit_when: exitOnUnsubscribe ? [{ event: 'unsubscribed' as const }] : [],
    ...(goal === undefined ? {} : { goal }),
    holdout,
    start: 'n0',
    nodes: flatten(root),
  }));

const at = (instant: Date) => instant.toISOString();

export const contactArb: fc.Arbitrary<Contact> = fc
  .record({
    id: fc.stringMatching(/^c-[a-z0-9]{1,8}$/),
    timeZone: fc.option(fc.constantFrom(...zones), { nil: undefined }),
    topics: topicSet,
  })
  .map(({ id, timeZone, topics: held }) => {
    const created = at(new Date('2026-01-01T00:00:00Z'));
    return {
      id,
      email: `${id}@example.com`,
      ...(timeZone === undefined ? {} : { timeZone }),
      consent: {
        email: { status: 'subscribed' as const, changedAt: created },
        sms: { status: 'none' as const, changedAt: created },
      },
      topics: held,
      pendingTopics: [],
      attributes: {},
      acquisition: { at: created },
      createdAt: created,
      updatedAt: created,
      version: 1,
    };
  });

/**
 * One step of a contact's history: an event the contact causes, or the delivery of a
 * timer the engine scheduled earlier (`pick` chooses which, stale ones included).
 */
export type HistoryStep =
  | { kind: 'event'; type: ContactEventKind; topics: string[]; afterMinutes: number }
  | { kind: 'timer'; pick: number; lateMinutes: number };

export const historyStepArb: fc.Arbitrary<HistoryStep> = fc.oneof(
  fc.record({
    kind: fc.constant('event' as const),
    type: eventType,
    topics: topicSet,
    afterMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }),
  }),
  fc.record({
    kind: fc.constant('timer' as const),
    pick: fc.nat(),
    lateMinutes: fc.integer({ min: 0, max: 120 }),
  }),
);

export const historyArb = fc.array(historyStepArb, { minLength: 1, maxLength: 25 });

/** Instants from 2026 to the end of 2032, to the millisecond. */
export const instantArb = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2032-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

export const zoneArb = fc.constantFrom(...zones);

export const timeOfDayArb = fc
  .record({ hour: fc.integer({ min: 0, max: 23 }), minute: fc.integer({ min: 0, max: 59 }) })
  .map(({ hour, minute }) => ({
    hour,
    minute,
    text: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
  }));

export const weekdaySetArb = fc.subarray([...weekdays], { minLength: 1 });

/** Split weights as in the brief: 2–4 paths of weight 1–10. */
export const splitWeightsArb = fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 2, maxLength: 4 });

/** Every instant in 2026–2032 at which the zone's UTC offset changes, found by scanning and bisecting. */
const offsetChanges = (zone: string): Date[] => {
  const offsetAt = (ms: number) => DateTime.fromMillis(ms, { zone }).offset;
  const changes: Date[] = [];
  const step = 6 * 60 * 60 * 1000;
  const end = Date.UTC(2033, 0, 1);
  for (let from = Date.UTC(2026, 0, 1); from < end; from += step) {
    if (offsetAt(from) === offsetAt(from + step)) continue;
    let [low, high] = [from, from + step];
    while (high - low > 60_000) {
      const middle = low + Math.floor((high - low) / 2);
      if (offsetAt(middle) === offsetAt(low)) low = middle;
      else high = middle;
    }
    changes.push(new Date(high));
  }
  return changes;
};

const transitions = zones.flatMap((zone) => offsetChanges(zone).map((at) => ({ zone, at })));

/**
 * A zone and an instant: half uniform over 2026–2032, half within a day and a half of
 * one of the zone's DST changes, where the edge cases are.
 */
export const zonedInstantArb: fc.Arbitrary<{ zone: string; now: Date }> = fc.oneof(
  fc.record({ zone: zoneArb, now: instantArb }),
  fc
    .record({
      transition: fc.constantFrom(...transitions),
      minutes: fc.integer({ min: -36 * 60, max: 36 * 60 }),
      millis: fc.integer({ min: 0, max: 59_999 }),
    })
    .map(({ transition, minutes, millis }) => ({
      zone: transition.zone,
      now: new Date(transition.at.getTime() + minutes * 60_000 + millis),
    })),
);

/** Times of day, often in the small hours where DST gaps and overlaps are. */
export const timeOfDayNearGapsArb = fc.oneof(
  timeOfDayArb,
  fc
    .record({ hour: fc.integer({ min: 1, max: 3 }), minute: fc.integer({ min: 0, max: 59 }) })
    .map(({ hour, minute }) => ({
      hour,
      minute,
      text: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
    })),
);

import { repoRoot } from '../../infra/local/local-stack.js';
import { timerEvent } from '../../lib/adapters/dynamodb/timer-items.js';
import { loadContent } from '../../lib/content/load-content.js';
import { buysInCategory, productPublishedEvent } from '../../lib/domain/catalog.js';
import { withCategories } from '../../lib/domain/category-path.js';
import { conditionBudgetMs, withConditionBudget } from '../../lib/domain/conditions.js';
import type { Contact } from '../../lib/domain/contact.js';
import type { ContactEvent } from '../../lib/domain/contact-event.js';
import { applyOrder } from '../../lib/domain/customer-card-updates.js';
import { refreshCustomerValue, rfmThresholds } from '../../lib/domain/customer-value.js';
import { dateReachedEvent, upcomingDateTimers } from '../../lib/domain/date-trigger.js';
import { durationOf } from '../../lib/domain/durations.js';
import type { Enrollment } from '../../lib/domain/enrollment.js';
import {
  isDateTrigger,
  type PublishedJourney,
  triggerEventType,
} from '../../lib/domain/journey-definition.js';
import {
  type EngineInput,
  type EngineResult,
  entryItems,
  stepJourney,
} from '../../lib/domain/journey-engine.js';
import { fromMinorUnits } from '../../lib/domain/money.js';
import type { Order } from '../../lib/domain/order.js';
import type { Product } from '../../lib/domain/product.js';
import { type SeededRandom, seededRandom } from '../demo/seeded-random.js';
import {
  type BenchOptions,
  type BenchResult,
  finish,
  isCommandLine,
  runAlone,
  setting,
} from './bench-run.js';
import { machineRows, recordMachine } from './machine-facts.js';

/**
 * The journey engine alone: `stepJourney` (lib/domain/journey-engine.ts, the
 * pure core the journeys consumer runs for each journey an event concerns)
 * evaluated as fast as one core allows, with no database.
 *
 * The inputs are what the journeys consumer would hand it over a year of a
 * realistic base: the shipped journeys (journeys/*.yaml, through lib/content),
 * contacts who sign up, order (their cards kept by `applyOrder` as ingestion
 * keeps them), change topics, hear of book launches, have birthdays and
 * sometimes unsubscribe, and the timers their waits set, fired when due. A first
 * pass drives the engine through that year, keeping every input it was given
 * (an event against each running enrollment, each finished one whose goal it may
 * meet, and each journey it may start); the timed passes replay them.
 *
 * BENCH_ENGINE_CONTACTS (default 2000, tiny 50), BENCH_ENGINE_MS (timed
 * milliseconds, default 5000, tiny 300), BENCH_SEED (1).
 */

const dayMs = 86_400_000;
const yearStart = Date.parse('2030-01-07T08:00:00.000Z');
const horizonMs = 365 * dayMs;
const targetPerSecond = 100_000;

const product = (fields: Omit<Product, 'currency' | 'createdAt' | 'updatedAt'>): Product => ({
  ...fields,
  currency: 'EUR',
  createdAt: '2029-01-01T00:00:00.000Z',
  updatedAt: '2029-01-01T00:00:00.000Z',
});

const catalog: readonly Product[] = [
  product({ sku: 'BOOK-CRIME-1', name: 'The Long Night', category: 'books/crime', price: 12.5 }),
  product({ sku: 'BOOK-COOK-1', name: 'Soup Every Day', category: 'books/cooking', price: 24 }),
  product({ sku: 'BOOK-TRAVEL-1', name: 'Along the Coast', category: 'books', price: 19.9 }),
  product({ sku: 'TONER-K', name: 'Black toner', category: 'toner', price: 79, replacementCycleDays: 120 }),
  product({
    sku: 'FILTER-W',
    name: 'Water filter',
    category: 'filters',
    price: 29,
    replacementCycleDays: 180,
  }),
  product({
    sku: 'COPIER-4Y',
    name: 'Office copier',
    category: 'copiers',
    price: 2400,
    replacementCycleDays: 1460,
  }),
  product({ sku: 'PAPER-A4', name: 'Copy paper, 500 sheets', category: 'paper', price: 6.5 }),
  product({ sku: 'MUG', name: 'Mug', category: 'kitchen', price: 9.5 }),
];
const catalogBySku = new Map(catalog.map((entry) => [entry.sku, entry]));
const launches = [
  {
    at: yearStart + 60 * dayMs,
    product: product({ sku: 'BOOK-NEW-1', name: 'Spring Crime', category: 'books/crime', price: 15 }),
  },
  {
    at: yearStart + 200 * dayMs,
    product: product({ sku: 'BOOK-NEW-2', name: 'Autumn Soups', category: 'books/cooking', price: 22 }),
  },
];
const zones = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Tokyo'] as const;
const topicChoices: ReadonlyArray<readonly [string[], number]> = [
  [['newsletter'], 4],
  [['newsletter', 'recommendations'], 3],
  [['recommendations'], 2],
  [['newsletter', 'offers'], 1],
];

const iso = (ms: number): string => new Date(ms).toISOString();

/** A person who signs up in the year's first weeks: pending until the confirmation event. */
const personOf = (index: number, random: SeededRandom): { contact: Contact; signupAt: number } => {
  const signupAt = yearStart + random.int(0, 20) * dayMs + random.int(0, dayMs - 1);
  const topics = random.weighted(topicChoices);
  const birthday = random.chance(0.4)
    ? `${random.int(1950, 2005)}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`
    : undefined;
  const timeZone = random.chance(0.7) ? random.pick(zones) : undefined;
  return {
    signupAt,
    contact: {
      id: `engine-contact-${index}`,
      email: `engine-${index}@example.com`,
      ...(random.chance(0.8) ? { name: random.pick(['Ann', 'Ben', 'Chloé', 'Farid', 'Hiro']) } : {}),
      ...(timeZone === undefined ? {} : { timeZone }),
      consent: {
        email: { status: 'pending', changedAt: iso(signupAt) },
        sms: { status: 'none', changedAt: iso(signupAt) },
      },
      topics: [],
      pendingTopics: topics,
      acquisition: {
        form: random.chance(0.5) ? 'newsletter' : 'footer',
        page: '/',
        utm: { source: 'shop', medium: 'web' },
        at: iso(signupAt),
      },
      attributes: birthday === undefined ? {} : { birthday },
      createdAt: iso(signupAt),
      updatedAt: iso(signupAt),
      version: 1,
    },
  };
};

/** The profile after an order, and the `order_completed` event as ingestion writes it. */
const ordered = (contact: Contact, lines: readonly Product[], at: number, orderId: string) => {
  const order: Order = {
    orderId,
    contactId: contact.id,
    at: iso(at),
    revenue: lines.reduce((sum, line) => sum + Math.round(line.price * 100), 0),
    total: lines.reduce((sum, line) => sum + Math.round(line.price * 100), 0),
    currency: 'EUR',
    refunded: 0,
    lines: lines.map((line) => ({
      sku: line.sku,
      name: line.name,
      category: line.category,
      price: Math.round(line.price * 100),
      quantity: 1,
    })),
    source: { channel: 'api' },
  };
  const now = new Date(at);
  const carded = applyOrder(contact.customer, order, catalogBySku);
  const card = refreshCustomerValue(carded, rfmThresholds([carded], now), now);
  const due = new Map(
    card.ownedProducts
      .filter((owned) => owned.orderId === orderId && owned.replacementDueAt !== undefined)
      .map((owned) => [owned.sku, owned.replacementDueAt]),
  );
  const event: ContactEvent = {
    id: `order-${orderId}`,
    contactId: contact.id,
    type: 'order_completed',
    at: iso(at),
    data: {
      orderId,
      total: fromMinorUnits(order.total, 'EUR'),
      revenue: fromMinorUnits(order.revenue, 'EUR'),
      currency: 'EUR',
      products: order.lines.map((line) => ({
        ...withCategories({ ...line, price: fromMinorUnits(line.price, 'EUR') }),
        ...(due.get(line.sku) === undefined ? {} : { replacementDueAt: due.get(line.sku) }),
      })),
    },
  };
  return { contact: { ...contact, customer: card }, event };
};

// ---------------------------------------------------------------------------
// A year of the base, through the engine

export interface Evaluation {
  /** What the consumer evaluated: a running enrollment, a finished one's goal, or a possible entry. */
  kind: 'running enrollment' | 'goal after the end' | 'possible entry';
  eventType: ContactEvent['type'];
  input: EngineInput;
}

/** Something that happens to a person at `at`. */
interface Due {
  at: number;
  event?: ContactEvent;
  /** An order of these products: its event is made when it is placed, from the profile then. */
  order?: Product[];
  /** A book launch, fanned out to the person if they buy in its category by then. */
  launch?: Product;
}

/** Who may enter, as the enrollment store decides (markers and conditional writes), not the engine. */
const storeAdmits = (journey: PublishedJourney, enrollments: readonly Enrollment[], now: number): boolean => {
  const own = enrollments.filter((enrollment) => enrollment.journeyId === journey.definition.id);
  const { reentry, concurrent } = journey.definition.entry;
  if (reentry === 'never' && own.length > 0) return false;
  if (!concurrent && own.some((enrollment) => enrollment.status === 'active')) return false;
  if (typeof reentry === 'object') {
    const last = Math.max(0, ...own.map((enrollment) => Date.parse(enrollment.enteredAt)));
    if (now - last < durationOf(reentry.cooldown).as('milliseconds')) return false;
  }
  return true;
};

/** Drives the engine through a year of `count` contacts and keeps every input it was given. */
export const yearOfEvaluations = (
  journeys: readonly PublishedJourney[],
  count: number,
  seed: number,
): Evaluation[] => {
  const evaluations: Evaluation[] = [];
  const journeyById = new Map(journeys.map((journey) => [journey.definition.id, journey]));
  const dateJourneys = journeys.filter((journey) => isDateTrigger(journey.definition.trigger));
  for (let index = 0; index < count; index += 1) {
    const random = seededRandom((Math.imul(seed, 0x9e3779b1) + index) >>> 0);
    const person = personOf(index, random);
    let contact = person.contact;
    /** What happens to this person, in time order: events, and orders (their event is made when placed). */
    const due: Due[] = [];
    const add = (event: ContactEvent) => due.push({ at: Date.parse(event.at), event });
    add({
      id: `confirm-${index}`,
      contactId: contact.id,
      type: 'signup_confirmed',
      at: iso(person.signupAt + random.int(60_000, 3_600_000)),
      data: { topics: contact.pendingTopics, channel: 'email' },
    });
    for (let n = random.int(0, 5); n > 0; n -= 1) {
      const lines = new Map<string, Product>();
      for (let wanted = random.int(1, 3); lines.size < wanted; ) {
        const line = random.pick(catalog);
        lines.set(line.sku, line);
      }
      due.push({ at: person.signupAt + random.int(1, 360) * dayMs, order: [...lines.values()] });
    }
    if (random.chance(0.3))
      add({
        id: `topics-${index}`,
        contactId: contact.id,
        type: 'topics_changed',
        at: iso(person.signupAt + random.int(2, 30) * dayMs),
        data: { topics: ['newsletter', 'recommendations'] },
      });
    if (random.chance(0.08))
      add({
        id: `unsubscribed-${index}`,
        contactId: contact.id,
        type: 'unsubscribed',
        at: iso(person.signupAt + random.int(30, 360) * dayMs),
        data: { channel: 'email' },
      });
    for (const launch of launches) due.push({ at: launch.at, launch: launch.product });

    let enrollments: Enrollment[] = [];
    /** The step stored: the enrollment replaced (or added), its timers filed, its contact update made. */
    const store = (result: EngineResult) => {
      enrollments = [
        ...enrollments.filter(
          (e) => e.id !== result.enrollment.id || e.journeyId !== result.enrollment.journeyId,
        ),
        result.enrollment,
      ];
      for (const action of result.actions) {
        if (action.type === 'set_timer') add(timerEvent(action.timer, new Date(action.timer.dueAt)));
        if (action.type === 'update_contact') contact = { ...contact, attributes: action.attributes };
      }
    };
    const fileDateTimers = (now: number) => {
      for (const journey of dateJourneys) {
        const trigger = journey.definition.trigger;
        if (!isDateTrigger(trigger)) continue;
        const zone = contact.timeZone ?? 'UTC';
        for (const timer of upcomingDateTimers(journey.definition.id, trigger, contact, new Date(now), zone))
          if (!due.some((next) => next.event?.id === dateReachedEvent(timer, new Date(timer.dueAt)).id))
            add(dateReachedEvent(timer, new Date(timer.dueAt)));
      }
    };

    let orders = 0;
    for (;;) {
      due.sort((a, b) => a.at - b.at);
      const next = due.shift();
      if (next === undefined || next.at > yearStart + horizonMs) break;
      const now = next.at;
      let event: ContactEvent;
      if (next.order !== undefined) {
        // Ingestion stores the profile with the order in it, then the event the consumer reads.
        orders += 1;
        const placed = ordered(contact, next.order, now, `E-${index}-${orders}`);
        contact = placed.contact;
        event = placed.event;
      } else if (next.launch !== undefined) {
        // A launch reaches those who buy in its category (the fan-out's rule).
        if (!buysInCategory(contact, next.launch.category)) continue;
        event = productPublishedEvent(next.launch, contact.id, new Date(now));
      } else if (next.event !== undefined) {
        event = next.event;
      } else continue;
      // What the writer of the event changed on the profile before the journeys consumer read it.
      if (event.type === 'signup_confirmed')
        contact = {
          ...contact,
          consent: { ...contact.consent, email: { status: 'subscribed', changedAt: event.at } },
          topics: contact.pendingTopics,
          pendingTopics: [],
        };
      if (event.type === 'unsubscribed')
        contact = {
          ...contact,
          consent: { ...contact.consent, email: { status: 'unsubscribed', changedAt: event.at } },
        };
      if (event.type === 'topics_changed')
        contact = { ...contact, topics: ['newsletter', 'recommendations'] };

      const trigger: EngineInput['trigger'] = { type: 'event', event };
      const input = (
        journey: PublishedJourney,
        enrollment: Enrollment | undefined,
        item?: EngineInput['item'],
      ): EngineInput => ({
        journey,
        enrollment,
        ...(item === undefined ? {} : { item }),
        contact,
        trigger,
        now: new Date(now),
        defaultTimeZone: 'UTC',
      });
      for (const enrollment of enrollments.filter((e) => e.status === 'active')) {
        const journey = journeyById.get(enrollment.journeyId);
        if (journey === undefined) continue;
        const given = input(journey, enrollment);
        evaluations.push({ kind: 'running enrollment', eventType: event.type, input: given });
        const result = stepJourney(given);
        if (result !== undefined) store(result);
      }
      if (event.type !== 'timer') {
        for (const enrollment of enrollments.filter(
          (e) => e.status !== 'active' && e.goalReachedAt === undefined,
        )) {
          const journey = journeyById.get(enrollment.journeyId);
          if (journey?.definition.goal?.event !== event.type) continue;
          const given = input(journey, enrollment);
          evaluations.push({ kind: 'goal after the end', eventType: event.type, input: given });
          const result = stepJourney(given);
          if (result !== undefined) store(result);
        }
        for (const journey of journeys) {
          if (triggerEventType(journey.definition.trigger) !== event.type) continue;
          for (const item of entryItems(journey, event)) {
            const given = input(journey, undefined, item);
            evaluations.push({ kind: 'possible entry', eventType: event.type, input: given });
            const result = stepJourney(given);
            if (result !== undefined && storeAdmits(journey, enrollments, now)) store(result);
          }
        }
      }
      if (event.type === 'signup_confirmed' || event.type === 'date_reached') fileDateTimers(now + 1);
    }
  }
  return evaluations;
};

// ---------------------------------------------------------------------------
// Timing

/** Evaluates every input in turn, as the consumer does (each under the condition budget), until `ms` have passed. */
const evaluationsPerSecond = (
  evaluations: readonly Evaluation[],
  ms: number,
): { rate: number; steps: number } => {
  let done = 0;
  let steps = 0;
  const started = performance.now();
  do {
    for (const { input } of evaluations) {
      if (withConditionBudget(conditionBudgetMs, () => stepJourney(input)) !== undefined) steps += 1;
    }
    done += evaluations.length;
  } while (performance.now() - started < ms);
  const elapsed = performance.now() - started;
  return { rate: (done / elapsed) * 1000, steps: steps / (done / evaluations.length) };
};

export const run = async (options: BenchOptions = {}): Promise<BenchResult> => {
  const contacts = setting(options, 'BENCH_ENGINE_CONTACTS', 2000, 50);
  const timedMs = setting(options, 'BENCH_ENGINE_MS', 5000, 300);
  const seed = setting(options, 'BENCH_SEED', 1, 1);
  const content = await loadContent(repoRoot);
  const journeys: PublishedJourney[] = content.journeys.map((definition) => ({
    definition,
    version: 1,
    status: 'active',
    publishedAt: iso(yearStart - 30 * dayMs),
  }));
  console.log(`driving ${contacts} contacts through a year of the shipped journeys…`);
  const evaluations = yearOfEvaluations(journeys, contacts, seed);

  const machine = recordMachine();
  // A first pass warms the engine up (compiled conditions, the JIT), as a warm Lambda is.
  evaluationsPerSecond(evaluations, Math.min(1000, timedMs / 5));
  const overall = evaluationsPerSecond(evaluations, timedMs);
  const groups = new Map<string, Evaluation[]>();
  for (const evaluation of evaluations) {
    const key = `${evaluation.kind}: ${evaluation.eventType}`;
    groups.set(key, [...(groups.get(key) ?? []), evaluation]);
  }
  const byGroup = [...groups.entries()]
    .sort(([, a], [, b]) => b.length - a.length)
    .map(([key, members]) => ({
      key,
      members: members.length,
      ...evaluationsPerSecond(members, timedMs / groups.size),
    }));
  const facts = machine.finish();

  const thousands = (value: number): string => Math.round(value).toLocaleString('en-US');
  const micro = (rate: number): string => (1_000_000 / rate).toFixed(1);
  const rows = byGroup
    .map(
      (group) =>
        `| ${group.key} | ${((100 * group.members) / evaluations.length).toFixed(1)} % | ${thousands(group.rate)} | ${micro(group.rate)} |`,
    )
    .join('\n');
  const markdown = `## The journey engine alone

\`scripts/bench/engine.ts\`: \`stepJourney\` (lib/domain/journey-engine.ts), the pure core the \`journeys\` consumer runs
for each journey an event concerns, called in a loop on one core (Node's one JavaScript thread), each call under
the condition budget as the consumer makes it; no database, no I/O. The inputs are what the consumer would hand it
over a year of ${thousands(contacts)} contacts and the ${journeys.length} shipped journeys (\`journeys/*.yaml\` through \`lib/content\`):
sign-ups confirmed, 0–5 orders each (the customer card kept by \`applyOrder\` and \`refreshCustomerValue\` as ingestion
keeps it, so replacement due dates and RFM are real), topics changed, two book launches to those who buy, birthdays,
a few unsubscribes, and every timer the waits set, fired when due. A first pass drove the engine through that year
and kept every input it was given: the event against each running enrollment, against each finished one whose goal
it may meet, and against each journey it may start (each \`for_each\` element apart). The timed passes replay them.

| | |
|---|---|
| evaluations replayed | ${thousands(evaluations.length)} distinct inputs; ${(100 * (overall.steps / evaluations.length)).toFixed(1)} % of them moved an enrollment, the rest concerned none |
| **evaluations per second, one core** | **${thousands(overall.rate)}** (${micro(overall.rate)} µs each) over ${(timedMs / 1000).toFixed(1)} s after a warm-up |
| against the target of ${thousands(targetPerSecond)}/s | ×${(overall.rate / targetPerSecond).toFixed(2)} (${overall.rate >= targetPerSecond ? 'met' : 'not met'}) |
${machineRows(facts)}

| what the consumer evaluated | share | evaluations/s | µs each |
|---|---|---|---|
${rows}

A journeys invocation spends its time on DynamoDB round trips (a few milliseconds each); at this rate the
engine's share of an event is microseconds. Run it alone with \`npx tsx scripts/bench/engine.ts\`;
\`BENCH_ENGINE_CONTACTS\`, \`BENCH_ENGINE_MS\` and \`BENCH_SEED\` change it.
`;
  return finish(options, 'engine', markdown, {
    'evaluations/s': overall.rate,
    'distinct inputs': evaluations.length,
  });
};

if (isCommandLine(import.meta.url)) await runAlone(run);

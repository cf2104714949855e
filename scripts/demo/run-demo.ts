import { z } from 'zod';
import { inParallel } from '../../lib/app/in-parallel.js';
import { HoldoutAnswer } from './demo-answers.js';
import { type CampaignFindings, runCampaign } from './demo-campaign.js';
import { confirmLinkIn } from './demo-client.js';
import {
  concurrency,
  type DemoContext,
  DemoFailedError,
  maxSettleRounds,
  sum,
  tickUntilSettled,
} from './demo-context.js';
import { type AudienceFindings, countAudiences, demoSegments, listAllContacts } from './demo-segments.js';
import {
  catalog,
  catalogImport,
  type Genre,
  genreOf,
  genres,
  newBookFor,
  type OrderLine,
  orderCompleted,
  type PlannedCall,
} from './demo-shop.js';

/**
 * The demo's phases against a running local stack: seed the shop through the
 * public and admin APIs, run the schedules until nothing more happens, launch
 * a book, and read back what the system did. Everything it reports comes from
 * the system's answers (admin API, SES emulator, /local views), except what it
 * posted itself (book sales by genre: a book's category is `books/<genre>`).
 */

/** Calls per /v1/batch request; the API takes up to 500. */
const batchSize = 100;
/** Customers are spread over this many concurrent posting lanes; each customer's calls stay in order in one lane. */
const lanes = 4;

const ApiKeyAnswer = z.object({ key: z.string() });
const ImportAnswer = z.object({
  received: z.number(),
  created: z.number(),
  replaced: z.number(),
  problems: z.array(z.unknown()),
});
const JobsAnswer = z.object({
  jobs: z.array(
    z.object({
      status: z.string(),
      counts: z.object({ seen: z.number(), changed: z.number(), unchanged: z.number() }),
    }),
  ),
});
const JourneyList = z.object({
  journeys: z.array(z.object({ journeyId: z.string(), name: z.string(), status: z.string() })),
});
const JourneyDetails = z.object({
  latest: z.object({ definition: z.object({ holdout: z.number().optional() }) }).nullable(),
});
const StatsAnswer = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ totals: z.record(z.string(), z.number()) })),
});
export const ReportAnswer = z.object({
  from: z.string(),
  to: z.string(),
  holdout: HoldoutAnswer,
  enrollments: z.object({
    treatment: z.object({ entered: z.number(), converted: z.number() }),
    control: z.object({ entered: z.number(), converted: z.number() }),
  }),
  attributed: z.object({ orders: z.number(), revenue: z.number() }),
});
export type ReportAnswer = z.infer<typeof ReportAnswer>;
const ContactAnswer = z.object({
  contact: z.object({
    id: z.string(),
    email: z.string(),
    name: z.string().optional(),
    timeZone: z.string().optional(),
    consent: z.object({ email: z.object({ status: z.string() }) }),
    customer: z
      .object({
        orders: z.number(),
        revenue: z.number(),
        refunds: z.number().optional(),
        tier: z.string().optional(),
        rfm: z.object({ segment: z.string(), scoredAt: z.string() }).optional(),
        predictedClv: z.number().optional(),
        churnRisk: z.number().optional(),
        valueModel: z.string().optional(),
        pAlive: z.number().optional(),
        ownedProducts: z
          .array(z.object({ sku: z.string(), replacementSource: z.string().optional() }))
          .default([]),
      })
      .optional(),
  }),
  enrollments: z.array(
    z.object({
      journeyId: z.string(),
      status: z.string(),
      group: z.enum(['treatment', 'control']),
      goalReachedAt: z.string().optional(),
    }),
  ),
});
export type ContactAnswer = z.infer<typeof ContactAnswer>;

export interface JourneyOutcome {
  journeyId: string;
  status: string;
  holdout: number;
  entered: number;
  /** Enrollments still running (waiting for a timer or an event), from the contacts' records. */
  running: number;
  sent: number;
  skipped: Record<string, number>;
  deferred: Record<string, number>;
  failed: number;
}

export interface DemoFindings {
  people: number;
  catalogImported: number;
  signups: { signedUp: number; confirmed: number };
  history: {
    calls: number;
    batches: number;
    identifies: number;
    orders: number;
    refunds: number;
    accepted: number;
    duplicates: number;
    rejected: number;
  };
  /** From the calls the API accepted: the people who bought, and order totals less refunds. */
  posted: { customers: number; netRevenue: number };
  /** Book units, revenue and the people who bought them, per genre, from the orders the API accepted. */
  genres: Array<{ genre: Genre; units: number; revenue: number; readers: number }>;
  settleRounds: number;
  launch: {
    sku: string;
    name: string;
    genre: Genre;
    category: string;
    jobStatus: string;
    contactsSeen: number;
    eventsWritten: number;
    rounds: number;
  };
  journeys: JourneyOutcome[];
  statsRange: { from: string; to: string };
  contacts: ContactAnswer[];
  /** Customers whose scores predate the refresh after the history: the refresh did not reach them. */
  staleScores: number;
  emails: { total: number; confirmations: number; bySubject: Array<{ subject: string; count: number }> };
  sms: number;
  holdoutReports: Array<{ journeyId: string; holdout: number; report: ReportAnswer }>;
  /** The contact list and the two segments the demo saved and counted. */
  audiences: AudienceFindings;
  campaign: CampaignFindings;
  /** Read last, once the campaign is done too. */
  deadLetters: number;
  /** GET /admin/customer-value and GET /admin/categories after the refresh, as the API answered them. */
  customerValue: unknown;
  categories: unknown;
  /** One paper order per business customer after the refresh, dated by the learned cycles. */
  restocks: { orders: number; datedByLearning: number };
}

const signUpAndConfirm = async (context: DemoContext): Promise<DemoFindings['signups']> => {
  const { client, shop, stack } = context;
  const signing = shop.people.filter((person) => person.signsUp);
  await inParallel(signing, concurrency, (person) =>
    client.signUp({ email: person.email, name: person.name, topics: person.topics, form: person.form }),
  );
  await stack.idle();
  const inbox = await client.emails();
  const linkFor = new Map<string, string>();
  for (const email of inbox) {
    const link = confirmLinkIn(email);
    for (const to of email.destination.to) if (link !== undefined) linkFor.set(to, link);
  }
  const confirming = signing.filter((person) => person.confirms);
  await inParallel(confirming, concurrency, async (person) => {
    const link = linkFor.get(person.email);
    if (link === undefined) throw new DemoFailedError(`no confirmation email reached ${person.email}`);
    await client.confirm(link);
  });
  await stack.idle();
  return { signedUp: signing.length, confirmed: confirming.length };
};

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, index * size + size),
  );

/** The year of calls through /v1/batch; answers the counts and the calls the API accepted. */
/** Posts the calls through /v1/batch in lanes of people, as a shop's backend would; every one must be taken. */
const postCalls = async (
  context: DemoContext,
  apiKey: string,
  calls: readonly PlannedCall[],
): Promise<{ accepted: PlannedCall[]; batches: number; duplicates: number }> => {
  const laneCalls = Array.from({ length: lanes }, (_, lane) =>
    calls.filter((call) => call.person % lanes === lane),
  );
  const accepted: PlannedCall[] = [];
  const rejected: string[] = [];
  let duplicates = 0;
  let batches = 0;
  await Promise.all(
    laneCalls.map(async (lane) => {
      for (const batch of chunks(lane, batchSize)) {
        const answer = await context.client.batch(
          apiKey,
          batch.map((planned) => planned.call),
        );
        batches += 1;
        duplicates += answer.duplicates;
        for (const result of answer.results) {
          const planned = batch[result.index];
          if (planned === undefined) continue;
          if (result.status === 'accepted') accepted.push(planned);
          if (result.status === 'rejected')
            rejected.push(`${String(planned.call.messageId)}: ${JSON.stringify(result.errors ?? {})}`);
        }
      }
    }),
  );
  if (rejected.length > 0) {
    throw new DemoFailedError(
      `/v1/batch refused ${rejected.length} of the demo's calls, e.g.\n  ${rejected.slice(0, 5).join('\n  ')}`,
    );
  }
  return { accepted, batches, duplicates };
};

const postHistory = async (
  context: DemoContext,
  apiKey: string,
): Promise<{ history: DemoFindings['history']; accepted: PlannedCall[] }> => {
  const { shop, stack } = context;
  const { accepted, batches, duplicates } = await postCalls(context, apiKey, shop.calls);
  await stack.idle();
  const count = (kind: PlannedCall['kind']) => shop.calls.filter((call) => call.kind === kind).length;
  return {
    history: {
      calls: shop.calls.length,
      batches,
      identifies: count('identify'),
      orders: count('order'),
      refunds: count('refund'),
      accepted: accepted.length,
      duplicates,
      // postCalls stops the demo on any refused call.
      rejected: 0,
    },
    accepted,
  };
};

const genreSales = (accepted: readonly PlannedCall[]): DemoFindings['genres'] => {
  const genreOfSku = new Map(catalog.map((product) => [product.sku, genreOf(product)]));
  return genres
    .map((genre) => {
      const calls = accepted.filter((call) =>
        (call.lines ?? []).some((line) => genreOfSku.get(line.sku) === genre),
      );
      const lines = calls.flatMap((call) =>
        (call.lines ?? []).filter((line) => genreOfSku.get(line.sku) === genre),
      );
      return {
        genre,
        units: sum(lines.map((line) => line.quantity)),
        revenue: Math.round(sum(lines.map((line) => line.price * line.quantity)) * 100) / 100,
        readers: new Set(calls.map((call) => call.person)).size,
      };
    })
    .sort((a, b) => b.units - a.units || b.revenue - a.revenue);
};

const paperSkus = new Set(
  catalog.filter((product) => product.category === 'office/paper').map((product) => product.sku),
);

/**
 * Every customer who bought paper in the history reorders their last paper now,
 * after the refresh learned the cycles: the catalog gives paper no cycle, so what
 * dates it (and starts a replacement reminder) is the customer's own reorders or
 * the base's.
 */
const restockAfterRefresh = async (
  context: DemoContext,
  apiKey: string,
  history: readonly PlannedCall[],
): Promise<{ accepted: PlannedCall[]; orders: number }> => {
  const { shop, stack } = context;
  const lastPaper = new Map<number, OrderLine>();
  for (const call of [...history].sort((a, b) => a.at - b.at))
    for (const line of call.kind === 'order' ? (call.lines ?? []) : [])
      if (paperSkus.has(line.sku)) lastPaper.set(call.person, line);
  const at = context.clock.now().getTime();
  const calls = [...lastPaper].flatMap(([index, line], order) => {
    const person = shop.people[index];
    // One pack: a restock to date, not a second history of spending.
    return person === undefined
      ? []
      : [orderCompleted(person, `R-${30_001 + order}`, [{ ...line, quantity: 1 }], at)];
  });
  const { accepted } = await postCalls(context, apiKey, calls);
  await stack.idle();
  await tickUntilSettled(context);
  return { accepted, orders: calls.length };
};

/** Puts the new book in the catalog, publishes it, and ticks until its fan-out job is done. */
const launchBook = async (context: DemoContext, genre: Genre): Promise<DemoFindings['launch']> => {
  const { client } = context;
  const book = newBookFor(genre);
  const path = `/admin/products/${encodeURIComponent(book.sku)}`;
  await client.admin(z.unknown(), 'PUT', path, {
    ...book,
    url: `https://shop.example.com/p/${book.sku.toLowerCase()}`,
  });
  await client.admin(z.unknown(), 'POST', `${path}/publish`, {});
  let rounds = 0;
  for (;;) {
    rounds += await tickUntilSettled(context);
    const { jobs } = await client.admin(JobsAnswer, 'GET', `${path}/jobs`);
    const job = jobs[0];
    if (job === undefined) throw new DemoFailedError(`publishing ${book.sku} filed no fan-out job`);
    if (job.status !== 'pending' || rounds >= maxSettleRounds) {
      return {
        sku: book.sku,
        name: book.name,
        genre,
        category: book.category,
        jobStatus: job.status,
        contactsSeen: job.counts.seen,
        eventsWritten: job.counts.changed,
        rounds,
      };
    }
  }
};

const metricsWith = (totals: Record<string, number>, prefix: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(totals)
      .filter(([metric]) => metric.startsWith(prefix))
      .map(([metric, count]) => [metric.slice(prefix.length), count]),
  );

const journeyOutcomes = async (
  context: DemoContext,
  contacts: readonly ContactAnswer[],
): Promise<{
  journeys: JourneyOutcome[];
  range: { from: string; to: string };
  reports: DemoFindings['holdoutReports'];
}> => {
  const { client } = context;
  const { journeys } = await client.admin(JourneyList, 'GET', '/admin/journeys');
  let range = { from: '', to: '' };
  const reports: DemoFindings['holdoutReports'] = [];
  const outcomes = await inParallel(journeys, concurrency, async (journey): Promise<JourneyOutcome> => {
    const id = encodeURIComponent(journey.journeyId);
    const [details, stats] = await Promise.all([
      client.admin(JourneyDetails, 'GET', `/admin/journeys/${id}`),
      // The default range, the 30 days up to today (UTC): counters are kept by the day they happened.
      client.admin(StatsAnswer, 'GET', `/admin/journeys/${id}/stats`),
    ]);
    range = { from: stats.from, to: stats.to };
    const totals: Record<string, number> = {};
    for (const day of stats.days)
      for (const [metric, count] of Object.entries(day.totals))
        totals[metric] = (totals[metric] ?? 0) + count;
    const holdout = details.latest?.definition.holdout ?? 0;
    if (holdout > 0) {
      reports.push({
        journeyId: journey.journeyId,
        holdout,
        report: await client.admin(ReportAnswer, 'GET', `/admin/journeys/${id}/report`),
      });
    }
    return {
      journeyId: journey.journeyId,
      status: journey.status,
      holdout,
      entered: sum(Object.values(metricsWith(totals, 'entered:'))),
      running: contacts
        .flatMap((record) => record.enrollments)
        .filter((enrollment) => enrollment.journeyId === journey.journeyId && enrollment.status === 'active')
        .length,
      sent: totals.sent ?? 0,
      skipped: metricsWith(totals, 'skipped:'),
      deferred: metricsWith(totals, 'deferred:'),
      failed: totals.failed ?? 0,
    };
  });
  return { journeys: outcomes, range, reports };
};

const readContacts = (context: DemoContext): Promise<ContactAnswer[]> =>
  inParallel(context.shop.people, concurrency, (person) =>
    context.client.admin(ContactAnswer, 'GET', `/admin/contacts?email=${encodeURIComponent(person.email)}`),
  );

const staleAfter = (contacts: readonly ContactAnswer[], moment: string): number =>
  contacts.filter((record) => {
    const customer = record.contact.customer;
    return customer !== undefined && customer.orders > 0 && (customer.rfm?.scoredAt ?? '') < moment;
  }).length;

export const runDemo = async (context: DemoContext): Promise<DemoFindings> => {
  const { client, shop, now, phase } = context;

  const { key } = await client.admin(ApiKeyAnswer, 'POST', '/admin/api-keys', { name: 'demo shop backend' });
  const imported = await client.admin(ImportAnswer, 'POST', '/admin/products/import', catalogImport(now));
  if (imported.problems.length > 0)
    throw new DemoFailedError(`the catalog import listed problems: ${JSON.stringify(imported.problems)}`);
  phase('API key and catalog');

  const signups = await signUpAndConfirm(context);
  phase('signups and confirmations');

  const { history, accepted } = await postHistory(context, key);
  phase('a year of orders through /v1/batch');

  // Everything posted so far was scored against the cuts of its moment; the refresh rescores all of it.
  const refreshedAfter = context.clock.now().toISOString();
  const settleRounds = await tickUntilSettled(context);
  phase('schedules until settled (timers, customer-value refresh)');

  const sales = genreSales(accepted);
  const top = sales[0];
  if (top === undefined || top.units === 0) throw new DemoFailedError('no book was sold, so no genre leads');
  const launch = await launchBook(context, top.genre);
  phase('new book published and fanned out');

  const restocked = await restockAfterRefresh(context, key, accepted);
  // From here on, what the demo posted includes the restocks: the cards' revenue and the segments do.
  accepted.push(...restocked.accepted);
  phase('paper restocks, dated by the cycles the refresh learned');

  let contacts = await readContacts(context);
  // The refresh files a rescore job that a later tick's journey-jobs run works through; give it the ticks it needs.
  for (let extra = 0; extra < 3 && staleAfter(contacts, refreshedAfter) > 0; extra += 1) {
    await tickUntilSettled(context);
    contacts = await readContacts(context);
  }
  const { journeys, range, reports } = await journeyOutcomes(context, contacts);
  const inbox = await client.emails();
  const confirmations = inbox.filter((email) => confirmLinkIn(email) !== undefined).length;
  const subjects = new Map<string, number>();
  for (const email of inbox) subjects.set(email.subject, (subjects.get(email.subject) ?? 0) + 1);
  const amounts = (kind: PlannedCall['kind']) =>
    sum(accepted.filter((call) => call.kind === kind).map((call) => call.amount ?? 0));
  const journeyFindings = {
    people: shop.people.length,
    posted: {
      customers: new Set(accepted.filter((call) => call.kind === 'order').map((call) => call.person)).size,
      netRevenue: Math.round((amounts('order') - amounts('refund')) * 100) / 100,
    },
    catalogImported: imported.created + imported.replaced,
    signups,
    history,
    genres: sales,
    settleRounds,
    launch,
    journeys,
    statsRange: range,
    contacts,
    staleScores: staleAfter(contacts, refreshedAfter),
    emails: {
      total: inbox.length,
      confirmations,
      bySubject: [...subjects]
        .map(([subject, count]) => ({ subject, count }))
        .sort((a, b) => b.count - a.count),
    },
    sms: await client.smsCount(),
    holdoutReports: reports,
  };
  phase('reading the results back');

  const listing = await listAllContacts(context, { limit: '100' });
  const counts = await countAudiences(context, accepted);
  phase('contact list, and two segments saved and counted');

  const campaign = await runCampaign(context, {
    apiKey: key,
    segmentId: demoSegments.topValue.id,
    timeZones: new Map(contacts.map((record) => [record.contact.email, record.contact.timeZone])),
    defaultTimeZone: context.stack.environment.DEFAULT_TIME_ZONE,
  });
  phase('campaign launched, sent at 10:00 in each zone, measured');
  const findings: DemoFindings = {
    ...journeyFindings,
    audiences: { listing, counts },
    campaign,
    deadLetters: await client.deadLetters(),
    customerValue: await client.admin(z.unknown(), 'GET', '/admin/customer-value'),
    categories: await client.admin(z.unknown(), 'GET', '/admin/categories'),
    restocks: {
      orders: restocked.orders,
      datedByLearning: contacts.filter(
        ({ contact }) =>
          contact.customer?.ownedProducts.some(
            (owned) =>
              paperSkus.has(owned.sku) &&
              (owned.replacementSource === 'personal' || owned.replacementSource === 'learned'),
          ) === true,
      ).length,
    },
  };
  return findings;
};

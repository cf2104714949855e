import { z } from 'zod';
import { type DemoContext, DemoFailedError, tickUntilSettled } from './demo-context.js';
import { bookCategory, catalog, type PlannedCall } from './demo-shop.js';

/**
 * The demo's audiences: the contact list read a page at a time, and two
 * segments saved over the admin API and counted by the background job. What
 * each count should be comes from the calls the demo posted, by the rules the
 * docs give (docs/segments.md, docs/customer-value.md), not from the system.
 */

const DAY_MS = 86_400_000;

/** Both definitions as a marketer would write them; the ids are the demo's own, beside the shipped ones. */
export const demoSegments = {
  topValue: {
    id: 'demo-top-value',
    name: 'Top 20% by value',
    description: 'The best fifth of customers by net revenue (RFM monetary score 5).',
    condition: { 'contact.customer.rfm.monetary': 5 },
  },
  crimeReaders: {
    id: 'demo-crime-readers',
    name: 'Crime readers',
    description: 'Bought crime fiction in the last 180 days.',
    condition: {
      [`contact.customer.categoryLastPurchasedAt.${bookCategory('crime')}`]: { $within: '-P180D' },
    },
  },
} as const;

export type DemoSegment = (typeof demoSegments)[keyof typeof demoSegments];

const ListedContact = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  consent: z.object({ email: z.object({ status: z.string() }) }),
  customer: z.object({ orders: z.number(), revenue: z.number(), tier: z.string().optional() }).optional(),
});
export type ListedContact = z.infer<typeof ListedContact>;
const ContactPage = z.object({ contacts: z.array(ListedContact), next: z.string().optional() });

const SavedSegmentAnswer = z.object({ segment: z.object({ id: z.string(), version: z.number() }) });
const CountAnswer = z.object({
  segmentId: z.string(),
  count: z
    .object({
      status: z.string(),
      done: z.boolean(),
      at: z.string(),
      seen: z.number(),
      members: z.number(),
      sample: z.array(z.object({ contactId: z.string(), email: z.string() })),
      error: z.string().optional(),
    })
    .nullable(),
});

export interface ContactListing {
  limit: number;
  pages: number;
  contacts: ListedContact[];
  /** Contacts listed more than once across the pages (a cursor that went back). */
  repeated: number;
}

export interface SegmentCount {
  segment: DemoSegment;
  version: number;
  status: string;
  /** The moment the count's relative dates were measured from. */
  at: string;
  seen: number;
  members: number;
  sample: string[];
  /** What the demo's own record of the shop says the count should be, and why. */
  expected: number;
  rule: string;
}

export interface AudienceFindings {
  listing: ContactListing;
  counts: SegmentCount[];
}

const centsOf = (amount: number | undefined): number => Math.round((amount ?? 0) * 100);

/**
 * The top fifth by net revenue, by the RFM rule: with the customers' net
 * revenue ordered from lowest to highest, the fourth cut is the value at rank
 * ⌈4n/5⌉, and monetary score 5 is strictly above it.
 */
export const topValueOf = (accepted: readonly PlannedCall[]): { members: Set<number>; cutCents: number } => {
  const net = new Map<number, number>();
  for (const call of accepted) {
    if (call.kind === 'order') net.set(call.person, (net.get(call.person) ?? 0) + centsOf(call.amount));
  }
  for (const call of accepted) {
    if (call.kind === 'refund' && net.has(call.person))
      net.set(call.person, (net.get(call.person) ?? 0) - centsOf(call.amount));
  }
  const ordered = [...net.values()].sort((a, b) => a - b);
  const cutCents = ordered[Math.ceil((4 * ordered.length) / 5) - 1] ?? 0;
  return {
    members: new Set([...net].filter(([, cents]) => cents > cutCents).map(([person]) => person)),
    cutCents,
  };
};

/** People with an accepted order holding a crime novel dated within the 180 days up to `at`. */
export const crimeReadersAt = (accepted: readonly PlannedCall[], at: Date): Set<number> => {
  const crime = new Set(
    catalog.filter((product) => product.category === bookCategory('crime')).map((p) => p.sku),
  );
  const from = at.getTime() - 180 * DAY_MS;
  return new Set(
    accepted
      .filter(
        (call) =>
          call.kind === 'order' &&
          call.at >= from &&
          call.at <= at.getTime() &&
          (call.lines ?? []).some((line) => crime.has(line.sku)),
      )
      .map((call) => call.person),
  );
};

/** The contacts through `GET /admin/contacts?limit=…` (and any filters), following `next` to the end. */
export const listAllContacts = async (
  context: DemoContext,
  filters: { limit: string } & Record<string, string>,
): Promise<ContactListing> => {
  const contacts: ListedContact[] = [];
  let pages = 0;
  let after: string | undefined;
  do {
    const query = new URLSearchParams({ ...filters, ...(after === undefined ? {} : { after }) });
    const page = await context.client.admin(ContactPage, 'GET', `/admin/contacts?${query}`);
    pages += 1;
    contacts.push(...page.contacts);
    after = page.next;
    if (pages > 1_000) throw new DemoFailedError('GET /admin/contacts was still answering pages after 1,000');
  } while (after !== undefined);
  return {
    limit: Number(filters.limit),
    pages,
    contacts,
    repeated: contacts.length - new Set(contacts.map((contact) => contact.id)).size,
  };
};

const money = (cents: number): string => (cents / 100).toFixed(2);

/** Saves both segments, files a count of each, and runs the schedules until both counts are done. */
export const countAudiences = async (
  context: DemoContext,
  accepted: readonly PlannedCall[],
): Promise<SegmentCount[]> => {
  const { client } = context;
  const segments = [demoSegments.topValue, demoSegments.crimeReaders];
  // The restocks moved the value cuts, and each tick's refresh files a rescore: it must be
  // done before a count walks the cards, or the count races it and may see old scores.
  await tickUntilSettled(context);
  const saved = new Map<string, number>();
  for (const segment of segments) {
    const answer = await client.admin(SavedSegmentAnswer, 'PUT', `/admin/segments/${segment.id}`, segment);
    saved.set(segment.id, answer.segment.version);
    await client.admin(z.unknown(), 'POST', `/admin/segments/${segment.id}/count`, {});
  }
  for (let round = 0; ; round += 1) {
    // The journey-jobs schedule walks the contacts for each count, a page at a time.
    await tickUntilSettled(context);
    const answers = await Promise.all(
      segments.map((segment) => client.admin(CountAnswer, 'GET', `/admin/segments/${segment.id}/count`)),
    );
    if (answers.every((answer) => answer.count?.done === true) || round >= 5) {
      const top = topValueOf(accepted);
      return segments.map((segment, index) => {
        const count = answers[index]?.count;
        if (count === undefined || count === null)
          throw new DemoFailedError(`the count of segment ${segment.id} was filed but never started`);
        const expected =
          segment.id === demoSegments.topValue.id
            ? {
                expected: top.members.size,
                rule: `customers whose net revenue beats the fourth quintile cut (${money(top.cutCents)}) of what the demo posted`,
              }
            : {
                expected: crimeReadersAt(accepted, new Date(count.at)).size,
                rule: 'people the demo posted a crime novel for in the 180 days before the count',
              };
        return {
          segment,
          version: saved.get(segment.id) ?? 0,
          status: count.status,
          at: count.at,
          seen: count.seen,
          members: count.members,
          sample: count.sample.map((member) => member.email),
          ...expected,
        };
      });
    }
  }
};

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { contactListBudget, type ListContactsDeps, listContacts } from '../../../lib/app/list-contacts.js';
import type { SavedSegment } from '../../../lib/domain/audience-segment.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { aConsentEntry, aContact } from '../../support/builders.js';
import { aWorld } from './support/worlds.js';

const at = '2026-11-01T00:00:00.000Z';

const segment = (id: string, condition: SavedSegment['condition']): SavedSegment => ({
  id,
  name: id,
  condition,
  live: false,
  createdAt: at,
  updatedAt: at,
  version: 1,
});

const segments: SavedSegment[] = [
  segment('vip', { 'contact.customer.tier': 'vip' }),
  segment('big-spenders', { 'contact.customer.revenue': { $gte: 100 } }),
  segment('recent', { 'contact.customer.lastPurchaseAt': { $within: '-P30D' } }),
];

let world: MemoryWorld;
let deps: ListContactsDeps;

const store = async (contact: Contact) => {
  await world.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
  return contact;
};

const aCustomer = (
  overrides: Partial<Contact> & { tier?: 'vip' | 'regular'; revenue?: number; last?: string },
) => {
  const { tier, revenue = 0, last, ...rest } = overrides;
  return aContact({
    ...rest,
    customer: {
      ...emptyCustomerCard(),
      orders: 1,
      revenue,
      averageOrderValue: revenue,
      currency: 'EUR',
      ...(tier === undefined ? {} : { tier }),
      ...(last === undefined ? {} : { lastPurchaseAt: last }),
    },
  });
};

/** Every page from the start, following `next`. */
const walkAll = async (query: Record<string, string | undefined>) => {
  const pages = [];
  let after: string | undefined;
  do {
    const page = await listContacts(deps, { ...query, ...(after === undefined ? {} : { after }) });
    pages.push(page);
    after = page.next;
  } while (after !== undefined);
  return pages;
};

beforeEach(() => {
  world = aWorld('2026-11-23T12:00:00.000Z');
  deps = {
    contacts: world.contacts,
    segments: { get: async (id) => segments.find((s) => s.id === id) },
    clock: world.clock,
  };
});

describe('when contacts are listed without filters', () => {
  it('pages through every contact exactly once, at most `limit` a page, and stops', async () => {
    const created = [];
    for (let n = 0; n < 37; n += 1) created.push(await store(aContact()));

    const pages = await walkAll({ limit: '5' });

    const seen = pages.flatMap((page) => page.contacts.map((contact) => contact.id));
    expect(seen.sort()).toEqual(created.map((contact) => contact.id).sort());
    for (const page of pages) expect(page.contacts.length).toBeLessThanOrEqual(5);
    expect(pages.at(-1)?.next).toBeUndefined();
  });

  it('lists a small base in one request, however its contacts fall into the shards', async () => {
    const created = [await store(aContact()), await store(aContact()), await store(aContact())];

    const page = await listContacts(deps, {});

    expect(page.contacts.map((c) => c.id).sort()).toEqual(created.map((c) => c.id).sort());
    expect(page.next).toBeUndefined();
  });

  it('reads no more profiles per request than its budget, however selective the filter', async () => {
    const asked: number[] = [];
    const counting: ListContactsDeps = {
      ...deps,
      contacts: {
        listPage: (from, limit) => {
          asked.push(limit);
          return world.contacts.listPage(from, limit);
        },
      },
    };
    for (let n = 0; n < 40; n += 1) await store(aContact());

    await listContacts(counting, { tier: 'vip', limit: '500' });

    expect(asked.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(contactListBudget.profiles);
    expect(asked.length).toBeLessThanOrEqual(contactListBudget.indexQueries);
  });

  it('fills a page of 50 by default from as many shards as it takes', async () => {
    for (let n = 0; n < 60; n += 1) await store(aContact());

    const first = await listContacts(deps, {});

    expect(first.contacts).toHaveLength(50);
    expect(first.next).toEqual(expect.any(String));
  });

  it('shows the card with its money in major units, and no attributes', async () => {
    const contact = await store(aCustomer({ revenue: 12_950, attributes: { secret: 'x' } }));

    const { contacts } = await listContacts(deps, {});

    expect(contacts).toEqual([
      expect.objectContaining({ id: contact.id, email: contact.email, customer: expect.anything() }),
    ]);
    expect(contacts[0]?.customer?.revenue).toBe(129.5);
    expect(contacts[0]).not.toHaveProperty('attributes');
  });
});

describe('when contacts are listed with filters', () => {
  it('keeps only members of the saved segment, evaluated now', async () => {
    const vip = await store(aCustomer({ tier: 'vip' }));
    await store(aCustomer({ tier: 'regular' }));
    await store(aContact());

    const pages = await walkAll({ segment: 'vip' });

    expect(pages.flatMap((page) => page.contacts.map((c) => c.id))).toEqual([vip.id]);
  });

  it('evaluates a relative date at the time of the request', async () => {
    const recent = await store(aCustomer({ last: '2026-11-20T00:00:00.000Z' }));
    await store(aCustomer({ last: '2026-09-01T00:00:00.000Z' }));

    expect((await walkAll({ segment: 'recent' })).flatMap((p) => p.contacts.map((c) => c.id))).toEqual([
      recent.id,
    ]);
    world.clock.advance(30 * 86_400_000);
    expect((await walkAll({ segment: 'recent' })).flatMap((p) => p.contacts)).toEqual([]);
  });

  it('reads money in a segment in major units, as the card shows it', async () => {
    const big = await store(aCustomer({ revenue: 15_000 }));
    await store(aCustomer({ revenue: 9_999 }));

    const ids = (await walkAll({ segment: 'big-spenders' })).flatMap((p) => p.contacts.map((c) => c.id));

    expect(ids).toEqual([big.id]);
  });

  it('finds by the start of an email address, ignoring case, or by a contact or user id exactly', async () => {
    const ann = await store(aContact({ email: 'ann.smith@example.com' }));
    const anna = await store(aContact({ email: 'Anna@example.org' }));
    const bob = await store(aContact({ email: 'bob@example.com', externalId: 'shop-42' }));

    const ids = async (q: string) =>
      (await walkAll({ q })).flatMap((p) => p.contacts.map((c) => c.id)).sort();

    expect(await ids('ANN')).toEqual([ann.id, anna.id].sort());
    expect(await ids('ann.')).toEqual([ann.id]);
    expect(await ids('shop-42')).toEqual([bob.id]);
    expect(await ids('shop-4')).toEqual([]);
    expect(await ids(bob.id)).toEqual([bob.id]);
  });

  it('filters by topic, email consent and tier, all at once', async () => {
    const at = '2026-10-01T08:00:00.000Z';
    const subscribed = { status: 'subscribed' as const, changedAt: at };
    const match = await store(
      aCustomer({ tier: 'vip', topics: ['news'], consent: { email: subscribed, sms: subscribed } }),
    );
    await store(aCustomer({ tier: 'vip', topics: ['news'] }));
    await store(
      aCustomer({ tier: 'regular', topics: ['news'], consent: { email: subscribed, sms: subscribed } }),
    );
    await store(
      aCustomer({ tier: 'vip', topics: ['offers'], consent: { email: subscribed, sms: subscribed } }),
    );

    const pages = await walkAll({ topic: 'news', consent: 'subscribed', tier: 'vip' });

    expect(pages.flatMap((p) => p.contacts.map((c) => c.id))).toEqual([match.id]);
  });

  it('answers a short page with a cursor when a filter passes few of the contacts it may read', async () => {
    for (let n = 0; n < contactListBudget.indexQueries * 3 + 5; n += 1) await store(aContact());
    const rare = await store(aCustomer({ tier: 'vip' }));

    const first = await listContacts(deps, { tier: 'vip', limit: '3' });
    const all = await walkAll({ tier: 'vip', limit: '3' });

    // Index queries of three profiles each cannot reach every contact within one request's budget.
    expect(first.next).toEqual(expect.any(String));
    expect(all.flatMap((p) => p.contacts.map((c) => c.id))).toEqual([rare.id]);
  });
});

describe('when the query is wrong', () => {
  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ after: 'not-a-cursor' }, 'after'],
    [{ after: Buffer.from('{"s":-1}').toString('base64url') }, 'after'],
    [{ consent: 'maybe' }, 'consent'],
    [{ tier: 'gold' }, 'tier'],
    [{ segment: 'Not An Id' }, 'segment'],
    [{ segment: 'nobody-made-this' }, 'segment'],
  ])('refuses %j with a 400 naming %s', async (query, field) => {
    const refusal = await listContacts(deps, query).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal instanceof ValidationError ? Object.keys(refusal.fields) : []).toEqual([field]);
  });

  it('takes a cursor naming a contact that is gone and goes on after where it would be', async () => {
    for (let n = 0; n < 20; n += 1) await store(aContact());
    const made = Buffer.from(JSON.stringify({ s: 0, a: '0' })).toString('base64url');

    const page = await listContacts(deps, { after: made, limit: '500' });

    expect(page.contacts.length).toBeGreaterThan(0);
  });
});

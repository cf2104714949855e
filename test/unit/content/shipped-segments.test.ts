import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../../lib/content/load-content.js';
import type { SegmentDefinition } from '../../../lib/domain/audience-segment.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { type CustomerCard, emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import { matchesSegment } from '../../../lib/domain/segment-condition.js';
import { aContact, aSubscribedContact } from '../../support/builders.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const now = new Date('2026-12-01T12:00:00.000Z');
let segments: Map<string, SegmentDefinition>;

beforeAll(async () => {
  segments = new Map((await loadContent(repoRoot)).segments.map((segment) => [segment.id, segment]));
});

const customer = (card: Partial<CustomerCard>, contact: Partial<Contact> = {}): Contact =>
  aSubscribedContact({ customer: { ...emptyCustomerCard(), ...card }, ...contact });

const scores = (monetary: number) => ({
  recency: 3,
  frequency: 3,
  monetary,
  segment: `33${monetary}`,
  scoredAt: '2026-12-01T03:00:00.000Z',
});

const owned = (replacementDueAt: string) => ({
  sku: 'COPIER-1',
  category: 'copiers',
  purchasedAt: '2022-12-20T00:00:00.000Z',
  orderId: 'o1',
  replacementDueAt,
});

/** For each shipped segment: contacts in it, and contacts just outside it. */
const cases: Record<string, { in: Contact[]; out: Contact[] }> = {
  'top-value': {
    in: [customer({ orders: 4, rfm: scores(5), valueScore: 5 })],
    out: [customer({ orders: 1, rfm: scores(5), valueScore: 4 }), customer({ orders: 1 })],
  },
  'lapsed-customers': {
    in: [customer({ orders: 2, lastPurchaseAt: '2025-10-01T00:00:00.000Z' })],
    out: [
      customer({ orders: 2, lastPurchaseAt: '2026-06-01T00:00:00.000Z' }),
      customer({ orders: 0 }),
      aSubscribedContact(),
    ],
  },
  'crime-readers': {
    in: [customer({ orders: 1, categoryLastPurchasedAt: { 'books/crime': '2026-09-01T00:00:00.000Z' } })],
    out: [
      customer({ orders: 1, categoryLastPurchasedAt: { 'books/crime': '2026-03-01T00:00:00.000Z' } }),
      customer({ orders: 1, categoryLastPurchasedAt: { books: '2026-11-01T00:00:00.000Z' } }),
    ],
  },
  'replacement-due': {
    in: [customer({ orders: 1, ownedProducts: [owned('2027-01-15')] })],
    out: [customer({ orders: 1, ownedProducts: [owned('2027-06-01')] }), customer({ orders: 1 })],
  },
  're-engagement-due': {
    in: [
      aSubscribedContact({ lastEngagedAt: '2025-12-31T00:00:00.000Z' }),
      // A profile from before engagement was recorded counts from its confirmation.
      aSubscribedContact({
        consent: {
          email: { status: 'subscribed', changedAt: '2025-11-01T08:00:00.000Z' },
          sms: { status: 'none', changedAt: '2025-11-01T08:00:00.000Z' },
        },
      }),
    ],
    out: [
      aSubscribedContact({ lastEngagedAt: '2026-01-02T00:00:00.000Z' }),
      aSubscribedContact(),
      aSubscribedContact({
        lastEngagedAt: '2026-11-20T00:00:00.000Z',
        consent: {
          email: { status: 'subscribed', changedAt: '2024-01-01T08:00:00.000Z' },
          sms: { status: 'none', changedAt: '2024-01-01T08:00:00.000Z' },
        },
      }),
      aContact({ lastEngagedAt: '2025-01-01T00:00:00.000Z' }),
    ],
  },
  'newsletter-never-bought': {
    in: [aSubscribedContact(), customer({ orders: 0 })],
    out: [
      customer({ orders: 1 }),
      aSubscribedContact({ topics: ['product-updates'] }),
      aContact({ topics: ['newsletter'] }),
    ],
  },
};

describe('the segments shipped in segments/', () => {
  it('are the documented examples, each loaded and valid', () => {
    expect([...segments.keys()].sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))(
    '%s takes the contacts it describes and no others',
    (id, { in: members, out }) => {
      const segment = segments.get(id);
      expect(segment).toBeDefined();
      if (segment === undefined) return;
      for (const contact of members) expect(matchesSegment(segment.condition, contact, now)).toBe(true);
      for (const contact of out) expect(matchesSegment(segment.condition, contact, now)).toBe(false);
    },
  );
});

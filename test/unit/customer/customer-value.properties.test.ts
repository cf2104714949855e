import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { journeyReport } from '../../../lib/domain/attribution.js';
import { applyOrder, OWNED_PRODUCTS_LIMIT } from '../../../lib/domain/customer-card-updates.js';
import { rfmThresholds, scoreRfm } from '../../../lib/domain/customer-value.js';
import { recommend } from '../../../lib/domain/recommendations.js';
import { aCard, anOrder, aProduct, catalogOf, daysAgo, NOW } from './support/customers.js';

const runs = { numRuns: 300 };

const customerArb = fc
  .record({
    lastDays: fc.integer({ min: 0, max: 1000 }),
    span: fc.integer({ min: 0, max: 1000 }),
    orders: fc.integer({ min: 1, max: 12 }),
    // Whole amounts in a small range, so ties are common.
    revenue: fc.integer({ min: 0, max: 60 }),
  })
  .map(({ lastDays, span, orders, revenue }) => ({
    orders,
    revenue,
    lastPurchaseAt: daysAgo(lastDays),
    firstPurchaseAt: daysAgo(lastDays + span),
  }));
const baseArb = fc.array(customerArb, { minLength: 5, maxLength: 60 });

describe('RFM scores, whatever the base', () => {
  it('are 1 to 5 on every axis, and never fall as revenue rises', () => {
    fc.assert(
      fc.property(baseArb, customerArb, fc.integer({ min: 0, max: 60 }), (base, card, more) => {
        const thresholds = rfmThresholds(base, NOW);
        const lower = scoreRfm(card, thresholds, NOW);
        const higher = scoreRfm({ ...card, revenue: card.revenue + more }, thresholds, NOW);
        for (const score of [lower.recency, lower.frequency, lower.monetary]) {
          expect(score).toBeGreaterThanOrEqual(1);
          expect(score).toBeLessThanOrEqual(5);
        }
        expect(higher.monetary).toBeGreaterThanOrEqual(lower.monetary);
      }),
      runs,
    );
  });

  it('score a member of the base 1 + ⌊5 × the share of the base it strictly beats⌋', () => {
    fc.assert(
      fc.property(baseArb, (base) => {
        const thresholds = rfmThresholds(base, NOW);
        const share = (beaten: number) => 1 + Math.floor((5 * beaten) / base.length);
        for (const customer of base) {
          const scores = scoreRfm(customer, thresholds, NOW);
          expect(scores.monetary).toBe(
            share(base.filter((other) => customer.revenue > other.revenue).length),
          );
          expect(scores.frequency).toBe(share(base.filter((other) => customer.orders > other.orders).length));
          const days = (iso: string | undefined) => (iso === undefined ? 0 : Date.parse(iso));
          expect(scores.recency).toBe(
            share(base.filter((other) => days(customer.lastPurchaseAt) > days(other.lastPurchaseAt)).length),
          );
        }
        const top = base.filter((customer) => scoreRfm(customer, thresholds, NOW).monetary === 5);
        expect(top.length).toBeLessThanOrEqual(base.length / 5);
      }),
      runs,
    );
  });
});

describe('the journey report, whatever the counts', () => {
  const groupArb = fc.integer({ min: 1, max: 2000 }).chain((members) =>
    fc.record({
      members: fc.constant(members),
      conversions: fc.integer({ min: 0, max: members }),
      revenue: fc.constant(0),
    }),
  );

  it('gives an interval inside [−1, 1] that contains the observed difference', () => {
    fc.assert(
      fc.property(
        groupArb,
        groupArb,
        fc.constantFrom(0.8, 0.9, 0.95, 0.99),
        (treatment, control, confidence) => {
          const { lift } = journeyReport({ treatment, control }, confidence);
          if (lift.interval === null || lift.absolute === null)
            throw new Error('non-empty groups have an interval');
          expect(lift.interval.lower).toBeGreaterThanOrEqual(-1 - 1e-12);
          expect(lift.interval.upper).toBeLessThanOrEqual(1 + 1e-12);
          expect(lift.interval.lower).toBeLessThanOrEqual(lift.absolute + 1e-12);
          expect(lift.interval.upper).toBeGreaterThanOrEqual(lift.absolute - 1e-12);
        },
      ),
      runs,
    );
  });
});

describe('recommendations, whatever the history and the catalog', () => {
  const skus = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7', 'S8'];
  const categories = ['books', 'garden', 'toys'];
  const productArb = fc.record({
    sku: fc.constantFrom(...skus),
    category: fc.constantFrom(...categories),
    releasedDaysAgo: fc.integer({ min: -5, max: 60 }),
  });

  it('never include a product the customer bought, never repeat one, and never exceed the limit', () => {
    fc.assert(
      fc.property(
        fc.array(productArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 3 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(
          fc.tuple(fc.constantFrom(...skus), fc.constantFrom(...skus), fc.integer({ min: 0, max: 9 })),
        ),
        fc.integer({ min: 1, max: 10 }),
        (products, lines, pairs, limit) => {
          const catalog = catalogOf(
            ...products.map(({ sku, category, releasedDaysAgo }) =>
              aProduct({ sku, category, publishedAt: daysAgo(releasedDaysAgo) }),
            ),
          );
          const card = applyOrder(
            aCard(),
            anOrder({
              orderId: 'o1',
              at: daysAgo(20),
              revenue: 10,
              lines: lines.map((line) => ({ ...line, price: 1 })),
            }),
            catalog,
          );
          const coPurchases = new Map<string, Map<string, number>>();
          for (const [sku, other, count] of pairs) {
            const row = coPurchases.get(sku) ?? new Map<string, number>();
            coPurchases.set(sku, row.set(other, count));
          }
          const items = recommend(
            card,
            { catalog, coPurchases, releases: [...catalog.values()] },
            { now: NOW, limit },
          );
          const owned = new Set(lines.map(({ sku }) => sku));

          expect(items.filter(({ sku }) => owned.has(sku))).toEqual([]);
          expect(new Set(items.map(({ sku }) => sku)).size).toBe(items.length);
          expect(items.length).toBeLessThanOrEqual(limit);
        },
      ),
      runs,
    );
  });
});

describe('the card, whatever the orders', () => {
  it(`keeps at most ${OWNED_PRODUCTS_LIMIT} owned products, one per sku, and sums the revenue`, () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            day: fc.integer({ min: 0, max: 400 }),
            skus: fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 8 }),
            cents: fc.integer({ min: 0, max: 100_000 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (orders) => {
          const card = orders.reduce(
            (current, { day, skus, cents }, index) =>
              applyOrder(
                current,
                anOrder({
                  orderId: `o${index}`,
                  at: daysAgo(day),
                  revenue: cents / 100,
                  lines: skus.map((n) => ({ sku: `SKU-${n}`, price: 1, quantity: 1 })),
                }),
                new Map(),
              ),
            aCard(),
          );
          const ownedSkus = card.ownedProducts.map(({ sku }) => sku);

          expect(card.ownedProducts.length).toBeLessThanOrEqual(OWNED_PRODUCTS_LIMIT);
          expect(new Set(ownedSkus).size).toBe(ownedSkus.length);
          expect(card.orders).toBe(orders.length);
          // Kept in cents, so the sum is exact however many orders.
          expect(card.revenue).toBe(orders.reduce((sum, { cents }) => sum + cents, 0));
        },
      ),
      runs,
    );
  });
});

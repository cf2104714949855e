import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { withCategories } from '../../../lib/domain/category-path.js';
import type { CustomerCard } from '../../../lib/domain/customer-card.js';
import type { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { SimulationEvent } from '../../../lib/domain/simulate.js';
import { aContact } from '../domain/support/journeys.js';
import { at, brief, sent, shippedJourney, simulateCase } from './support/simulation.js';

let journey: JourneyDefinition;
/** The shop's catalog: a new crime novel every Monday from February to June. */
const shop = new MemoryWorld({ start: new Date('2026-01-01T00:00:00Z') });
beforeAll(async () => {
  journey = await shippedJourney('new-book-recommendations');
  const firstMonday = Date.parse('2026-02-02T08:00:00Z');
  for (let week = 0; week < 22; week += 1) {
    const publishedAt = new Date(firstMonday + week * 7 * 86_400_000).toISOString();
    await shop.catalog.put(
      {
        sku: `crime-${week}`,
        name: `Crime novel ${week}`,
        category: 'books/crime',
        price: 18,
        currency: 'EUR',
        publishedAt,
        createdAt: publishedAt,
        updatedAt: publishedAt,
      },
      undefined,
    );
  }
});

/** An order as ingestion writes it: each line with its category and the levels above it (`categories`). */
const bookOrder = (id: string, orderedAt: string, category = 'books'): SimulationEvent => ({
  id,
  type: 'order_completed',
  at: orderedAt,
  data: {
    orderId: id,
    products: [withCategories({ sku: 'b-1', name: 'A novel', category, price: 12, quantity: 1 })],
  },
});
/** A crime reader, as the customer card stood before the simulated orders. */
const crimeReader: CustomerCard = {
  orders: 1,
  revenue: 18,
  averageOrderValue: 18,
  categories: { books: 1, 'books/crime': 1 },
  categoryLastPurchasedAt: { books: '2026-01-10T10:00:00.000Z', 'books/crime': '2026-01-10T10:00:00.000Z' },
  ownedProducts: [],
  refunds: 0,
};
const reader = aContact({ topics: ['newsletter', 'recommendations'], customer: crimeReader });
const run = (events: SimulationEvent[], contact = reader) =>
  simulateCase({
    definition: journey,
    contact,
    events,
    from: at('2026-02-01T00:00:00Z'),
    to: at('2026-07-01T00:00:00Z'),
    catalog: shop.catalog,
    coPurchases: shop.coPurchases,
  });

describe('new book recommendations', () => {
  describe('while the reader keeps the recommendations topic', () => {
    it('recommends every 14 days after the purchase, for months', async () => {
      const result = await run([bookOrder('order-1', '2026-02-01T10:00:00Z')]);
      expect(sent(result.timeline)).toEqual([
        '2026-02-15T10:00 new-book-recommendations',
        '2026-03-01T10:00 new-book-recommendations',
        '2026-03-15T10:00 new-book-recommendations',
        '2026-03-29T10:00 new-book-recommendations',
        '2026-04-12T10:00 new-book-recommendations',
        '2026-04-26T10:00 new-book-recommendations',
        '2026-05-10T10:00 new-book-recommendations',
        '2026-05-24T10:00 new-book-recommendations',
        '2026-06-07T10:00 new-book-recommendations',
        '2026-06-21T10:00 new-book-recommendations',
      ]);
      expect(result.enrollments).toEqual([
        expect.objectContaining({ status: 'active', currentNode: 'fortnight' }),
      ]);
      expect(result.timeline.find((entry) => entry.kind === 'sent')).toMatchObject({
        subject: 'New books we think you will like',
      });
    });
  });

  describe('when the reader drops the topic in the preference center', () => {
    it('stops at the next fortnight', async () => {
      const dropped: SimulationEvent = {
        type: 'topics_changed',
        at: '2026-03-20T09:00:00Z',
        data: { topics: ['newsletter'] },
      };
      const result = await run([bookOrder('order-1', '2026-02-01T10:00:00Z'), dropped]);
      expect(brief(result.timeline).slice(-3)).toEqual([
        '2026-03-15T10:00 sent email new-book-recommendations',
        '2026-03-15T10:00 waiting at fortnight until 2026-03-29T10:00',
        '2026-03-29T10:00 exited: no longer wants recommendations',
      ]);
    });
  });

  it('keeps one rhythm when the reader buys more books meanwhile', async () => {
    const result = await run([
      bookOrder('order-1', '2026-02-01T10:00:00Z'),
      bookOrder('order-2', '2026-02-20T16:00:00Z'),
    ]);
    expect(brief(result.timeline)).toContain('2026-02-20T16:00 not-entered: already-active');
    expect(sent(result.timeline)).toHaveLength(10);
  });

  it('does not start for an order without books', async () => {
    const result = await run([bookOrder('order-1', '2026-02-01T10:00:00Z', 'filters')]);
    expect(brief(result.timeline)).toEqual(['2026-02-01T10:00 not-entered: trigger-condition']);
  });

  describe('when categories are paths', () => {
    it('starts for a book in any genre', async () => {
      for (const genre of ['books/crime', 'books/cooking']) {
        const result = await run([bookOrder('order-1', '2026-02-01T10:00:00Z', genre)]);
        expect(sent(result.timeline)[0]).toBe('2026-02-15T10:00 new-book-recommendations');
      }
    });

    it('does not start for an order from another department', async () => {
      const result = await run([bookOrder('order-1', '2026-02-01T10:00:00Z', 'office/paper')]);
      expect(brief(result.timeline)).toEqual(['2026-02-01T10:00 not-entered: trigger-condition']);
    });
  });

  describe("when nothing came out in the reader's categories since the last one", () => {
    it('skips the fortnight, as deliver would, instead of promising a send', async () => {
      const result = await run([bookOrder('order-1', '2026-02-01T10:00:00Z')], {
        ...reader,
        customer: { ...crimeReader, categories: { cooking: 1 }, categoryLastPurchasedAt: {} },
      });
      expect(brief(result.timeline)).toContain(
        '2026-02-15T10:00 skipped email new-book-recommendations: nothing-to-recommend',
      );
      expect(sent(result.timeline)).toEqual([]);
    });
  });

  it('does not start for a reader who does not want recommendations', async () => {
    const result = await run(
      [bookOrder('order-1', '2026-02-01T10:00:00Z')],
      aContact({ topics: ['newsletter'] }),
    );
    expect(brief(result.timeline)).toEqual(['2026-02-01T10:00 not-entered: entry-condition']);
  });

  it('lets the email caps hold the fortnightly email back when other journeys filled the week', async () => {
    const result = await simulateCase({
      definition: journey,
      contact: reader,
      events: [bookOrder('order-1', '2026-02-01T10:00:00Z')],
      from: at('2026-02-01T00:00:00Z'),
      to: at('2026-03-01T00:00:00Z'),
      policy: { email: { caps: [{ max: 3, per: 'P7D' }], when_capped: 'skip' } },
      sentBefore: {
        email: [at('2026-02-12T08:00:00Z'), at('2026-02-13T08:00:00Z'), at('2026-02-14T08:00:00Z')],
      },
    });
    expect(brief(result.timeline)).toContain(
      '2026-02-15T10:00 skipped email new-book-recommendations: capped',
    );
    expect(sent(result.timeline)).toEqual([]);
  });
});

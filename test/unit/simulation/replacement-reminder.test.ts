import { beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../../lib/domain/contact.js';
import type { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { SimulationEvent } from '../../../lib/domain/simulate.js';
import { aContact } from '../domain/support/journeys.js';
import { at, brief, sent, shippedJourney, simulateCase } from './support/simulation.js';

let journey: JourneyDefinition;
beforeAll(async () => {
  journey = await shippedJourney('replacement-reminder');
});

const order = (
  id: string,
  orderedAt: string,
  category: string,
  replacementDueAt?: string,
): SimulationEvent => ({
  id,
  type: 'order_completed',
  at: orderedAt,
  data: {
    orderId: id,
    products: [
      {
        sku: `${category}-1`,
        name: `A ${category} item`,
        category,
        price: 30,
        quantity: 1,
        ...(replacementDueAt === undefined ? {} : { replacementDueAt }),
      },
    ],
    ...(replacementDueAt === undefined ? {} : { replacementDueAt, replacementCategory: category }),
  },
});

const newYorker = (sms: 'none' | 'subscribed' = 'none'): Contact =>
  aContact({
    timeZone: 'America/New_York',
    phone: '+12125550123',
    consent: {
      email: { status: 'subscribed', changedAt: '2026-01-01T00:00:00Z' },
      sms: { status: sms, changedAt: '2026-01-01T00:00:00Z' },
    },
  });

const run = (events: SimulationEvent[], contact: Contact) =>
  simulateCase({
    definition: journey,
    contact,
    events,
    from: at('2026-01-01T00:00:00Z'),
    to: at('2026-10-01T00:00:00Z'),
  });

describe('the replacement reminder', () => {
  const filterOrder = order('order-1', '2026-01-10T15:00:00Z', 'filters', '2026-07-10');

  describe('when the customer does not reorder and has no SMS consent', () => {
    it('emails at 09:00 New York time thirty days before the due date, then stops', async () => {
      expect(brief((await run([filterOrder], newYorker())).timeline)).toEqual([
        '2026-01-10T15:00 entered',
        '2026-01-10T15:00 waiting at until-due until 2026-06-10T13:00',
        '2026-06-10T13:00 sent email replacement-reminder',
        '2026-06-10T13:00 waiting at watch-reorder until 2026-06-24T13:00',
        '2026-06-24T13:00 emitted Replacement Reminder Unanswered',
        '2026-06-24T13:00 exited: no SMS consent for a second reminder',
      ]);
    });
  });

  describe('when the customer consented to SMS', () => {
    it('sends the second reminder by SMS two weeks later', async () => {
      const result = await run([filterOrder], newYorker('subscribed'));
      expect(brief(result.timeline).filter((line) => / sent /.test(line))).toEqual([
        '2026-06-10T13:00 sent email replacement-reminder',
        '2026-06-24T13:00 sent sms second-reminder',
      ]);
      expect(result.timeline.at(-1)).toMatchObject({ kind: 'completed' });
    });
  });

  describe('when the customer reorders filters after the first reminder', () => {
    it('ends the reminder and starts one for the new filter', async () => {
      const reorder = order('order-2', '2026-06-15T18:00:00Z', 'filters', '2026-12-15');
      expect(brief((await run([filterOrder, reorder], newYorker('subscribed'))).timeline)).toEqual([
        '2026-01-10T15:00 entered',
        '2026-01-10T15:00 waiting at until-due until 2026-06-10T13:00',
        '2026-06-10T13:00 sent email replacement-reminder',
        '2026-06-10T13:00 waiting at watch-reorder until 2026-06-24T13:00',
        // The reorder in the same category is the journey's goal, too.
        '2026-06-15T18:00 goal',
        '2026-06-15T18:00 exited: exit_when order_completed',
        '2026-06-15T18:00 entered',
        // 09:00 on 15 November is EST, after the clocks went back: 14:00 UTC.
        '2026-06-15T18:00 waiting at until-due until 2026-11-15T14:00',
      ]);
    });
  });

  describe('when the customer buys something else in between', () => {
    it('keeps waiting: only a purchase in the same category ends it', async () => {
      const books = order('order-2', '2026-03-01T12:00:00Z', 'books');
      const result = await run([filterOrder, books], newYorker());
      expect(brief(result.timeline)).toContain('2026-03-01T12:00 not-entered: item-condition');
      expect(sent(result.timeline)).toEqual(['2026-06-10T13:00 replacement-reminder']);
    });
  });

  describe('when the customer owns a copier and a filter', () => {
    it('keeps one reminder per product, and a filter reorder ends only the filter one', async () => {
      const copier = order('order-copier', '2026-01-05T15:00:00Z', 'copiers', '2030-01-05');
      const reorder = order('order-2', '2026-06-15T18:00:00Z', 'filters');
      const result = await run([copier, filterOrder, reorder], newYorker());
      const exits = result.timeline.filter((entry) => entry.kind === 'exited');
      expect(exits).toEqual([
        expect.objectContaining({ enrollmentId: 'order-1.0', reason: 'exit_when order_completed' }),
      ]);
      expect(result.enrollments.find((enrollment) => enrollment.id === 'order-copier.0')?.status).toBe(
        'active',
      );
    });
  });

  describe('when one order holds a copier and a filter', () => {
    const basket: SimulationEvent = {
      id: 'order-basket',
      type: 'order_completed',
      at: '2026-01-10T15:00:00Z',
      data: {
        orderId: 'order-basket',
        products: [
          {
            sku: 'COPIER-1',
            name: 'Office copier A200',
            category: 'copiers',
            price: 900,
            quantity: 1,
            replacementDueAt: '2030-01-10',
          },
          { sku: 'PAPER-1', name: 'Paper', category: 'paper', price: 5, quantity: 1 },
          {
            sku: 'FILTER-1',
            name: 'Water filter',
            category: 'filters',
            price: 30,
            quantity: 1,
            replacementDueAt: '2026-07-10',
          },
        ],
      },
    };

    it('starts one reminder per replaceable product, each waiting for its own due date', async () => {
      const result = await run([basket], newYorker());
      expect(brief(result.timeline).slice(0, 5)).toEqual([
        '2026-01-10T15:00 entered',
        '2026-01-10T15:00 waiting at until-due until 2029-12-11T14:00',
        '2026-01-10T15:00 not-entered: item-condition',
        '2026-01-10T15:00 entered',
        '2026-01-10T15:00 waiting at until-due until 2026-06-10T13:00',
      ]);
      expect(result.enrollments.map((enrollment) => enrollment.id)).toEqual([
        'order-basket.0',
        'order-basket.2',
      ]);
    });

    it('tells each reminder which product it is about', async () => {
      const reminder = (await run([basket], newYorker())).timeline.find((entry) => entry.kind === 'sent');
      expect(reminder).toMatchObject({
        enrollmentId: 'order-basket.2',
        context: {
          trigger: { type: 'order_completed', item: { sku: 'FILTER-1', name: 'Water filter' }, itemIndex: 2 },
          event: { type: 'timer' },
        },
      });
    });

    it('ends only the filter reminder when filters are reordered', async () => {
      const reorder = order('order-2', '2026-03-01T12:00:00Z', 'filters');
      const result = await run([basket, reorder], newYorker());
      expect(result.timeline.filter((entry) => entry.kind === 'exited')).toEqual([
        expect.objectContaining({ enrollmentId: 'order-basket.2', reason: 'exit_when order_completed' }),
      ]);
    });
  });

  it('does not start for a filter without a replacement date', async () => {
    const result = await run([order('order-1', '2026-01-10T15:00:00Z', 'filters')], newYorker());
    expect(brief(result.timeline)).toEqual(['2026-01-10T15:00 not-entered: item-condition']);
  });

  it('does not start for a book, even with a due date from a learned cycle', async () => {
    const book: SimulationEvent = {
      id: 'order-1',
      type: 'order_completed',
      at: '2026-01-10T15:00:00Z',
      data: {
        orderId: 'order-1',
        products: [
          {
            sku: 'BOOK-CRIME-1',
            name: 'Murder at the Harbour',
            category: 'books/crime',
            categories: ['books', 'books/crime'],
            price: 19.5,
            quantity: 1,
            replacementDueAt: '2026-03-21',
            replacementCycleDays: 70,
            replacementSource: 'learned',
          },
        ],
      },
    };
    const result = await run([book], newYorker());
    expect(brief(result.timeline)).toEqual(['2026-01-10T15:00 not-entered: item-condition']);
  });

  it('uses the default time zone for a contact without one', async () => {
    const result = await simulateCase({
      definition: journey,
      contact: aContact(),
      events: [filterOrder],
      from: at('2026-01-01T00:00:00Z'),
      to: at('2026-10-01T00:00:00Z'),
      defaultTimeZone: 'Europe/Berlin',
    });
    expect(sent(result.timeline)).toEqual(['2026-06-10T07:00 replacement-reminder']);
  });
});

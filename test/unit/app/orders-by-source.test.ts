import { beforeEach, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { type IngestDeps, ingestCall } from '../../../lib/app/ingest-events.js';
import { type OrdersBySourceDeps, ordersBySourceReport } from '../../../lib/app/orders-by-source-report.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { aContact, aSignup } from '../../support/builders.js';
import { aWorld, ingestDepsFor } from './support/worlds.js';

let ingest: IngestDeps;
let report: OrdersBySourceDeps;
let clock: VirtualClock;

const signedUp = (email: string, utm: { source: string; medium: string; campaign: string }) =>
  aContact({ email, acquisition: { form: 'newsletter', utm, at: '2026-09-01T08:00:00.000Z' } });

beforeEach(async () => {
  const world = aWorld('2026-11-30T12:00:00Z');
  clock = world.clock;
  const contacts = world.contacts;
  for (const contact of [
    signedUp('ann@example.com', { source: 'instagram', medium: 'social', campaign: 'autumn' }),
    signedUp('bob@example.com', { source: 'instagram', medium: 'social', campaign: 'autumn' }),
    signedUp('cem@example.com', { source: 'google', medium: 'cpc', campaign: 'brand' }),
  ])
    await contacts.create(aSignup(contact));
  ingest = ingestDepsFor(world);
  report = { orders: world.orders, clock, currency: 'EUR' };
});

const order = async (email: string, orderId: string, at: string, total: number) => {
  const outcome = await ingestCall(
    ingest,
    {
      type: 'track',
      event: 'Order Completed',
      email,
      messageId: `m-${orderId}`,
      timestamp: at,
      properties: { order_id: orderId, total, products: [{ sku: 'BOOK-1', price: total }] },
    },
    'api',
  );
  expect(outcome.status).toBe('accepted');
};

const refund = async (email: string, orderId: string, total?: number) => {
  const outcome = await ingestCall(
    ingest,
    {
      type: 'track',
      event: 'Order Refunded',
      email,
      messageId: `r-${orderId}-${total ?? 'all'}`,
      properties: { order_id: orderId, ...(total === undefined ? {} : { total }) },
    },
    'api',
  );
  expect(outcome.status).toBe('accepted');
};

describe('orders by source over a range of days', () => {
  it('reads the orders placed in the range, by the day of their timestamp, net of refunds since', async () => {
    await order('ann@example.com', 'A-1', '2026-11-20T23:59:59Z', 40);
    await order('ann@example.com', 'A-2', '2026-11-21T00:00:00Z', 10);
    await order('bob@example.com', 'B-1', '2026-11-22T09:00:00Z', 30);
    await order('cem@example.com', 'C-1', '2026-11-22T10:00:00Z', 99);
    // A customer the shop sent in without a signup: no UTM to group by.
    await order('dora@example.com', 'D-1', '2026-11-22T11:00:00Z', 12);
    await order('cem@example.com', 'C-0', '2026-11-19T10:00:00Z', 500);
    await refund('bob@example.com', 'B-1', 5);
    await refund('cem@example.com', 'C-1');

    const answer = await ordersBySourceReport(report, { from: '2026-11-20', to: '2026-11-22' });

    expect(answer).toEqual({
      currency: 'EUR',
      from: '2026-11-20',
      to: '2026-11-22',
      totals: { orders: 4, customers: 3, revenue: 87, refunded: 104 },
      bySource: [
        {
          medium: 'social',
          source: 'instagram',
          campaign: 'autumn',
          orders: 3,
          customers: 2,
          revenue: 75,
          refunded: 5,
        },
        { medium: null, source: null, campaign: null, orders: 1, customers: 1, revenue: 12, refunded: 0 },
        {
          medium: 'cpc',
          source: 'google',
          campaign: 'brand',
          orders: 0,
          customers: 0,
          revenue: 0,
          refunded: 99,
        },
      ],
      byJourney: [{ journeyId: null, orders: 4, customers: 3, revenue: 87, refunded: 104 }],
    });
    expect((await ordersBySourceReport(report, { from: '2026-11-21', to: '2026-11-21' })).totals).toEqual({
      orders: 1,
      customers: 1,
      revenue: 10,
      refunded: 0,
    });
  });

  it('keeps the journey stats’ range rules: 30 days up to today by default, at most 92', async () => {
    expect(await ordersBySourceReport(report, {})).toMatchObject({ from: '2026-11-01', to: '2026-11-30' });
    const refused = await ordersBySourceReport(report, { from: '2026-01-01', to: '2026-04-03' }).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({
      fields: { to: 'the range spans 93 days; ask for at most 92 at a time' },
    });
  });
});

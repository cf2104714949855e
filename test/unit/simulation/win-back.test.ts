import { beforeAll, describe, expect, it } from 'vitest';
import type { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { SimulationEvent } from '../../../lib/domain/simulate.js';
import { aContact } from '../domain/support/journeys.js';
import { at, brief, sent, shippedJourney, simulateCase } from './support/simulation.js';

let journey: JourneyDefinition;
beforeAll(async () => {
  journey = await shippedJourney('win-back');
});

const order = (id: string, orderedAt: string): SimulationEvent => ({
  id,
  type: 'order_completed',
  at: orderedAt,
  data: {
    orderId: id,
    products: [{ sku: 's-1', name: 'Something', category: 'books', price: 9, quantity: 1 }],
  },
});
const run = (events: SimulationEvent[]) =>
  simulateCase({
    definition: journey,
    contact: aContact(),
    events,
    from: at('2026-01-01T00:00:00Z'),
    to: at('2027-06-01T00:00:00Z'),
  });

describe('win-back', () => {
  describe('when a customer orders again within 180 days', () => {
    it('restarts the clock from the latest order in the same enrollment, and writes only after 180 quiet days', async () => {
      expect(
        brief(
          (await run([order('order-1', '2026-01-05T10:00:00Z'), order('order-2', '2026-03-01T10:00:00Z')]))
            .timeline,
        ),
      ).toEqual([
        '2026-01-05T10:00 entered',
        '2026-01-05T10:00 waiting at quiet-period until 2026-07-04T10:00',
        '2026-03-01T10:00 waiting at quiet-period until 2026-08-28T10:00',
        '2026-03-01T10:00 not-entered: already-active',
        '2026-08-28T10:00 sent email win-back',
        '2026-08-28T10:00 completed',
      ]);
    });
  });

  describe('when the customer comes back after the win-back email', () => {
    it('starts a new enrollment, with a new win-back 180 days after that order', async () => {
      const result = await run([
        order('order-1', '2026-01-05T10:00:00Z'),
        order('order-2', '2026-09-15T10:00:00Z'),
      ]);
      expect(sent(result.timeline)).toEqual(['2026-07-04T10:00 win-back', '2027-03-14T10:00 win-back']);
      expect(result.enrollments.map((enrollment) => [enrollment.id, enrollment.status])).toEqual([
        ['order-1', 'completed'],
        ['order-2', 'completed'],
      ]);
    });
  });

  it('sends nothing to a customer who keeps ordering', async () => {
    const monthly = Array.from({ length: 17 }, (_, month) =>
      order(`order-${month}`, new Date(Date.UTC(2026, month, 3, 12)).toISOString()),
    );
    const result = await run(monthly);
    expect(sent(result.timeline)).toEqual([]);
    expect(result.enrollments.map((enrollment) => [enrollment.id, enrollment.status])).toEqual([
      ['order-0', 'active'],
    ]);
  });

  it('ends, sending nothing, when the customer unsubscribes meanwhile', async () => {
    const result = await run([
      order('order-1', '2026-01-05T10:00:00Z'),
      { type: 'unsubscribed', at: '2026-02-01T10:00:00Z', data: { channel: 'email' } },
    ]);
    expect(brief(result.timeline).at(-1)).toBe('2026-02-01T10:00 exited: exit_when unsubscribed');
    expect(sent(result.timeline)).toEqual([]);
  });
});

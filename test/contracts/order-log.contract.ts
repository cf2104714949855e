import { beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '../../lib/domain/order.js';
import { aContact, newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

/** OrderLog: the orders placed on a UTC day (by their own time), as stored now. */
export const orderLogContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    const place = async (at: string, total: number): Promise<Order> => {
      const contact = aContact();
      const order: Order = {
        orderId: `order-${newId()}`,
        contactId: contact.id,
        at,
        revenue: total,
        total,
        currency: 'EUR',
        lines: [{ sku: 'BOOK-1', price: total, quantity: 1 }],
        refunded: 0,
        source: { channel: 'api' },
      };
      await stores.ingestion.record({
        dedupe: [],
        profile: { kind: 'new', contact, identities: [] },
        event: { id: newId(), contactId: contact.id, type: 'order_completed', at, data: {} },
        order,
      });
      return order;
    };

    it('finds every order of the day across the list’s shards, and none of the days around it', async () => {
      const before = await place('2026-11-20T23:59:59.999Z', 5);
      const sameDay = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          place(`2026-11-21T${String(index).padStart(2, '0')}:00:00.000Z`, index),
        ),
      );
      const after = await place('2026-11-22T00:00:00.000Z', 7);

      const found = await stores.orders.placedOn('2026-11-21');

      const ids = (orders: Order[]) => orders.map((order) => order.orderId).sort();
      expect(ids(found)).toEqual(ids(sameDay));
      expect(ids(await stores.orders.placedOn('2026-11-20'))).toEqual([before.orderId]);
      expect(ids(await stores.orders.placedOn('2026-11-22'))).toEqual([after.orderId]);
      expect(await stores.orders.placedOn('2026-11-23')).toEqual([]);
    });

    it('reads each order as it is now, with the refunds recorded since', async () => {
      const order = await place('2026-11-21T10:00:00.000Z', 40);
      await stores.ingestion.record({
        dedupe: [],
        profile: { kind: 'unchanged', contactId: order.contactId, readVersion: 1 },
        event: { id: newId(), contactId: order.contactId, type: 'order_refunded', at: order.at, data: {} },
        refund: { orderId: order.orderId, refundedBefore: 0, refundedAfter: 15 },
      });

      expect(await stores.orders.placedOn('2026-11-21')).toEqual([{ ...order, refunded: 15 }]);
    });
  });

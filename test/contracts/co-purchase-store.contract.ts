import { beforeEach, describe, expect, it } from 'vitest';
import type { ContractStores, MakeStores } from './stores.js';

/** CoPurchaseStore: each order counts every pair of its distinct products, both ways. */
export const coPurchaseStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('counts the orders that had both, both ways, a product repeated in an order once', async () => {
      await stores.coPurchases.addOrder(['INK', 'PAPER', 'INK']);
      await stores.coPurchases.addOrder(['INK', 'PAPER', 'STAPLER']);
      await stores.coPurchases.addOrder(['INK']);

      const counts = await stores.coPurchases.forSkus(['INK', 'STAPLER', 'NEVER-SOLD', 'INK']);

      expect(counts).toEqual(
        new Map([
          [
            'INK',
            new Map([
              ['PAPER', 2],
              ['STAPLER', 1],
            ]),
          ],
          [
            'STAPLER',
            new Map([
              ['INK', 1],
              ['PAPER', 1],
            ]),
          ],
          ['NEVER-SOLD', new Map()],
        ]),
      );
    });

    it('counts only the first 20 distinct products of a huge order', async () => {
      const skus = Array.from({ length: 25 }, (_, index) => `SKU-${String(index).padStart(2, '0')}`);
      await stores.coPurchases.addOrder(skus);

      const counts = await stores.coPurchases.forSkus(['SKU-00', 'SKU-24']);
      expect(counts.get('SKU-00')?.size).toBe(19);
      expect(counts.get('SKU-24')).toEqual(new Map());
    });
  });

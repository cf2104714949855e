import { beforeEach, describe, expect, it } from 'vitest';
import type { RfmThresholds } from '../../lib/domain/customer-value.js';
import type { LearnedCycles } from '../../lib/domain/replacement-cycles.js';
import type { ContractStores, MakeStores } from './stores.js';

/** CustomerValueStore: the base-wide cuts and the learned cycles, none until the first refresh, then the latest. */
export const customerValueStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('has no cuts before the first refresh, then the latest saved', async () => {
      expect(await stores.customerValue.thresholds()).toBeUndefined();
      const first: RfmThresholds = {
        computedAt: '2026-11-01T03:00:00.000Z',
        customers: 3,
        medianIntervalDays: 30,
      };
      const second: RfmThresholds = {
        computedAt: '2026-11-02T03:00:00.000Z',
        customers: 250,
        medianIntervalDays: 41.5,
        quintiles: {
          recencyDays: [300, 120, 60, 20],
          frequency: [1, 1, 2, 4],
          monetary: [20, 45.5, 90, 200],
        },
      };

      await stores.customerValue.saveThresholds(first);
      await stores.customerValue.saveThresholds(second);

      expect(await stores.customerValue.thresholds()).toEqual(second);
    });

    it('has no learned cycles before the first refresh, then the latest saved, apart from the cuts', async () => {
      expect(await stores.customerValue.cycles()).toBeUndefined();
      const learned: LearnedCycles = {
        computedAt: '2026-11-02T03:00:00.000Z',
        minimum: { repeatCustomers: 10, repeatIntervals: 20 },
        categories: [
          {
            kind: 'category',
            key: 'office/paper',
            medianDays: 44.5,
            q1Days: 38,
            q3Days: 52,
            customers: 120,
            repeatIntervals: 610,
            censored: 140,
          },
        ],
        products: [],
      };
      await stores.customerValue.saveCycles({ ...learned, categories: [] });
      await stores.customerValue.saveCycles(learned);
      expect(await stores.customerValue.cycles()).toEqual(learned);
      expect(await stores.customerValue.thresholds()).toBeUndefined();
    });
  });

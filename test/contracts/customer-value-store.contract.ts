import { beforeEach, describe, expect, it } from 'vitest';
import type { RfmThresholds } from '../../lib/domain/customer-value.js';
import type { ContractStores, MakeStores } from './stores.js';

/** CustomerValueStore: the base-wide cuts, none until the first refresh, then the latest. */
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
  });

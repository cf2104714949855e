import { beforeAll, describe, expect, it } from 'vitest';
import type { ContractStores, MakeStores } from './stores.js';

/** StatsStore: daily counters that count every increment, concurrent ones too. */
export const statsStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    it('reads an empty day as no counters', async () => {
      expect(await stores.stats.read('email', '2026-01-01')).toEqual({});
    });

    describe('when counters are incremented, some concurrently', () => {
      it('counts every increment per metric and keeps days and scopes apart', async () => {
        await Promise.all(
          Array.from({ length: 5 }, () => stores.stats.increment('email', '2026-11-23', 'delivery')),
        );
        await stores.stats.increment('email', '2026-11-23', 'bounce', 2);
        await stores.stats.increment('email', '2026-11-24', 'delivery');
        await stores.stats.increment('welcome', '2026-11-23', 'delivery');
        await stores.stats.increment('journey:welcome', '2026-11-23', 'goal-revenue-minor:treatment', 1250);

        expect(await stores.stats.read('email', '2026-11-23')).toEqual({ delivery: 5, bounce: 2 });
        expect(await stores.stats.read('email', '2026-11-24')).toEqual({ delivery: 1 });
        expect(await stores.stats.read('journey:welcome', '2026-11-23')).toEqual({
          'goal-revenue-minor:treatment': 1250,
        });
      });
    });
  });

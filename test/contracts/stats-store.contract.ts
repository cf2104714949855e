import { beforeAll, describe, expect, it } from 'vitest';
import type { ContractStores, MakeStores } from './stores.js';

const inAMonth = Math.floor(Date.parse('2026-12-23T00:00:00.000Z') / 1000);

/** StatsStore: daily counters that count every increment, concurrent ones too, and a marked source once. */
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

    describe('when one source is counted twice', () => {
      const increments = [
        { scope: 'email', day: '2026-11-25', metric: 'delivery', by: 1 },
        { scope: 'journey:welcome', day: '2026-11-25', metric: 'delivery', by: 1 },
        { scope: 'campaign:spring', day: '2026-11-25', metric: 'delivery', by: 1 },
      ];

      it('counts it the first time only, and says the second was a duplicate', async () => {
        const mark = { id: 'ses#notification-1', expiresAt: inAMonth };

        expect(await stores.stats.countOnce(mark, increments)).toBe('counted');
        expect(await stores.stats.countOnce(mark, increments)).toBe('duplicate');

        expect(await stores.stats.read('email', '2026-11-25')).toEqual({ delivery: 1 });
        expect(await stores.stats.read('journey:welcome', '2026-11-25')).toEqual({ delivery: 1 });
        expect(await stores.stats.read('campaign:spring', '2026-11-25')).toEqual({ delivery: 1 });
      });

      it('counts it once when both deliveries arrive at the same moment', async () => {
        const mark = { id: 'ses#notification-2', expiresAt: inAMonth };
        const counter = [{ scope: 'email', day: '2026-11-26', metric: 'open', by: 1 }];

        const outcomes = await Promise.all(
          Array.from({ length: 6 }, () => stores.stats.countOnce(mark, counter)),
        );

        expect(outcomes.filter((outcome) => outcome === 'counted')).toHaveLength(1);
        expect(await stores.stats.read('email', '2026-11-26')).toEqual({ open: 1 });
      });

      it('adds up what marked sources and plain increments counted into one figure per metric', async () => {
        await Promise.all(
          Array.from({ length: 12 }, (_, index) =>
            stores.stats.countOnce({ id: `ses#spread-${index}`, expiresAt: inAMonth }, [
              { scope: 'email', day: '2026-11-27', metric: 'click', by: 1 },
              // The same counter twice in one source is one write of both.
              { scope: 'email', day: '2026-11-27', metric: 'click', by: 1 },
            ]),
          ),
        );
        await stores.stats.increment('email', '2026-11-27', 'click', 3);

        expect(await stores.stats.read('email', '2026-11-27')).toEqual({ click: 27 });
      });

      it('keeps the mark until it expires, and nothing under it is about a person', async () => {
        const mark = { id: 'journey-error#welcome#event-9', expiresAt: inAMonth };
        await stores.stats.countOnce(mark, [
          { scope: 'journey:welcome', day: '2026-11-28', metric: 'errors', by: 1 },
        ]);

        expect(await stores.table.query('DEDUPE#count#journey-error#welcome#event-9')).toEqual([
          {
            PK: 'DEDUPE#count#journey-error#welcome#event-9',
            SK: 'DEDUPE',
            type: 'dedupe',
            expiresAt: inAMonth,
          },
        ]);
      });
    });
  });

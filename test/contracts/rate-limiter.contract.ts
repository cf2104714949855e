import { beforeAll, describe, expect, it } from 'vitest';
import type { ContractStores, MakeStores } from './stores.js';

const at = (iso: string) => new Date(iso);
const fivePerMinute = { limit: 5, windowMs: 60_000 };

/** RateLimiter: fixed windows whose count never passes the limit, however many ask at once. */
export const rateLimiterContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    describe('when a key asks more often than its limit in one window', () => {
      it('allows the first ones and refuses the rest until the window ends', async () => {
        const decisions = [];
        for (let n = 0; n < 7; n += 1)
          decisions.push(
            await stores.rateLimiter.take('ip:a', fivePerMinute, at('2030-01-01T09:00:15.000Z')),
          );

        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
        expect(decisions.slice(5)).toEqual([
          { allowed: false, retryAfterSeconds: 45, retryAfterMs: 45_000 },
          { allowed: false, retryAfterSeconds: 45, retryAfterMs: 45_000 },
        ]);
        expect(await stores.rateLimiter.take('ip:a', fivePerMinute, at('2030-01-01T09:01:00.000Z'))).toEqual({
          allowed: true,
        });
      });
    });

    describe('when many ask at once', () => {
      it('allows exactly the limit between them', async () => {
        const decisions = await Promise.all(
          Array.from({ length: 20 }, () =>
            stores.rateLimiter.take('form:burst', fivePerMinute, at('2030-01-01T10:00:00.000Z')),
          ),
        );

        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(5);
      });
    });

    it('answers a look at a key without counting it', async () => {
      const now = at('2030-01-01T12:00:00.000Z');
      for (let n = 0; n < 4; n += 1) await stores.rateLimiter.take('ip:d', fivePerMinute, now);

      expect(await stores.rateLimiter.check('ip:d', fivePerMinute, now)).toEqual({ allowed: true });
      expect(await stores.rateLimiter.check('ip:d', fivePerMinute, now)).toEqual({ allowed: true });
      await stores.rateLimiter.take('ip:d', fivePerMinute, now);
      expect(await stores.rateLimiter.check('ip:d', fivePerMinute, now)).toMatchObject({ allowed: false });
      expect(await stores.rateLimiter.check('ip:never', fivePerMinute, now)).toEqual({ allowed: true });
    });

    it('counts each key on its own', async () => {
      const now = at('2030-01-01T11:00:00.000Z');
      for (let n = 0; n < 5; n += 1) await stores.rateLimiter.take('ip:b', fivePerMinute, now);

      expect(await stores.rateLimiter.take('ip:b', fivePerMinute, now)).toMatchObject({ allowed: false });
      expect(await stores.rateLimiter.take('ip:c', fivePerMinute, now)).toEqual({ allowed: true });
    });
  });

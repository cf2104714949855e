import { beforeAll, describe, expect, it } from 'vitest';
import type { Suppression } from '../../lib/ports/suppression-store.js';
import type { ContractStores, MakeStores } from './stores.js';

/** SuppressionStore: the first record wins; an erased address stays suppressed by its hash alone. */
export const suppressionStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    it('does not suppress an address nobody reported', async () => {
      expect(await stores.suppressions.isSuppressed('email', 'fine@example.com')).toBe(false);
      expect(await stores.suppressions.find('email', 'fine@example.com')).toBeUndefined();
    });

    describe('when an address is suppressed twice', () => {
      it('keeps it suppressed and keeps the first record', async () => {
        const bounce: Suppression = {
          channel: 'email',
          address: 'gone@example.com',
          reason: 'bounce',
          at: '2026-11-01T09:00:00.000Z',
          detail: 'mailbox does not exist',
        };
        await stores.suppressions.suppress(bounce);

        await stores.suppressions.suppress({
          ...bounce,
          reason: 'complaint',
          at: '2026-11-02T09:00:00.000Z',
        });

        expect(await stores.suppressions.isSuppressed('email', 'gone@example.com')).toBe(true);
        expect(await stores.suppressions.find('email', 'gone@example.com')).toEqual({
          reason: 'bounce',
          at: '2026-11-01T09:00:00.000Z',
          detail: 'mailbox does not exist',
        });
      });
    });

    it('suppresses an email address whatever its case, and only on its channel', async () => {
      await stores.suppressions.suppress({
        channel: 'email',
        address: 'loud@example.com',
        reason: 'complaint',
        at: '2026-11-01T09:00:00.000Z',
      });

      expect(await stores.suppressions.isSuppressed('email', 'LOUD@example.com')).toBe(true);
      expect(await stores.suppressions.isSuppressed('sms', 'loud@example.com')).toBe(false);
    });

    describe('when an address is erased', () => {
      it('keeps it suppressed by its hash, and the record in the clear goes', async () => {
        await stores.suppressions.suppress({
          channel: 'email',
          address: 'erased@example.com',
          reason: 'complaint',
          at: '2026-11-01T09:00:00.000Z',
        });

        const replaced = await stores.suppressions.suppressForErasure(
          'email',
          'Erased@Example.com',
          new Date('2026-11-20T09:00:00.000Z'),
        );

        expect(replaced).toBe(true);
        expect(JSON.stringify(await stores.table.scan())).not.toContain('erased@example.com');
        expect(await stores.suppressions.isSuppressed('email', 'erased@example.com')).toBe(true);
        expect(await stores.suppressions.find('email', 'erased@example.com')).toEqual({
          reason: 'erasure',
          at: '2026-11-20T09:00:00.000Z',
        });
      });

      it('suppresses an address that was never suppressed, and keeps the first erasure on record', async () => {
        const at = new Date('2026-11-20T09:00:00.000Z');
        expect(await stores.suppressions.suppressForErasure('sms', '+14255550100', at)).toBe(false);
        expect(
          await stores.suppressions.suppressForErasure(
            'sms',
            '+14255550100',
            new Date('2026-12-01T00:00:00.000Z'),
          ),
        ).toBe(false);

        expect(await stores.suppressions.find('sms', '+14255550100')).toEqual({
          reason: 'erasure',
          at: at.toISOString(),
        });
        expect(await stores.suppressions.isSuppressed('email', '+14255550100')).toBe(false);
      });

      it('does not write the address down in the clear when it bounces or says STOP later', async () => {
        await stores.suppressions.suppressForErasure(
          'sms',
          '+14255550101',
          new Date('2026-11-20T09:00:00.000Z'),
        );

        await stores.suppressions.suppress({
          channel: 'sms',
          address: '+14255550101',
          reason: 'opt-out',
          at: '2026-11-21T09:00:00.000Z',
        });

        expect(JSON.stringify(await stores.table.scan())).not.toContain('+14255550101');
        expect(await stores.suppressions.find('sms', '+14255550101')).toMatchObject({ reason: 'erasure' });
      });
    });

    it('finds the reason an address is suppressed for', async () => {
      await stores.suppressions.suppress({
        channel: 'email',
        address: 'why@example.com',
        reason: 'bounce',
        at: '2026-11-01T09:00:00.000Z',
        detail: 'mailbox full for good',
      });

      expect(await stores.suppressions.find('email', 'why@example.com')).toEqual({
        reason: 'bounce',
        at: '2026-11-01T09:00:00.000Z',
        detail: 'mailbox full for good',
      });
    });
  });

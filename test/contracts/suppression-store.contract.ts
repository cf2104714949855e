import { beforeAll, describe, expect, it } from 'vitest';
import type { Suppression } from '../../lib/ports/suppression-store.js';
import type { ContractStores, MakeStores } from './stores.js';

/** When the checks below are made: after every suppression they write, and before any `until`. */
const now = new Date('2026-11-23T12:00:00.000Z');

const beforeUntil = new Date('2026-12-01T08:59:59.999Z');
const atUntil = new Date('2026-12-01T09:00:00.000Z');

/** Three soft bounces rested the address until 1 December. */
const rested = (address: string): Suppression => ({
  channel: 'email',
  address,
  reason: 'soft-bounce',
  at: '2026-11-01T09:00:00.000Z',
  until: '2026-12-01T09:00:00.000Z',
  detail: 'MailboxFull: smtp; 552 5.2.2 mailbox full',
});

/**
 * SuppressionStore: the first record wins, except that a suppression for good
 * replaces a temporary one; a temporary one holds until its `until`; an erased
 * address stays suppressed by its hash alone.
 */
export const suppressionStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    it('does not suppress an address nobody reported', async () => {
      expect(await stores.suppressions.isSuppressed('email', 'fine@example.com', now)).toBe(false);
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

        expect(await stores.suppressions.isSuppressed('email', 'gone@example.com', now)).toBe(true);
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

      expect(await stores.suppressions.isSuppressed('email', 'LOUD@example.com', now)).toBe(true);
      expect(await stores.suppressions.isSuppressed('sms', 'loud@example.com', now)).toBe(false);
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
        expect(await stores.suppressions.isSuppressed('email', 'erased@example.com', now)).toBe(true);
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
        expect(await stores.suppressions.isSuppressed('email', '+14255550100', now)).toBe(false);
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

    describe('when an address is suppressed for a while', () => {
      const farFuture = new Date('2030-01-01T00:00:00.000Z');
      const itemOf = async (address: string) =>
        (await stores.table.scan()).find((item) => item.address === address);

      it('holds until its until, then lets the address be tried again, still showing the record', async () => {
        await stores.suppressions.suppress(rested('rested@example.com'));

        expect(await stores.suppressions.isSuppressed('email', 'Rested@example.com', beforeUntil)).toBe(true);
        expect(await stores.suppressions.isSuppressed('email', 'rested@example.com', atUntil)).toBe(false);
        expect(await stores.suppressions.find('email', 'rested@example.com')).toEqual({
          reason: 'soft-bounce',
          at: '2026-11-01T09:00:00.000Z',
          until: '2026-12-01T09:00:00.000Z',
          detail: 'MailboxFull: smtp; 552 5.2.2 mailbox full',
        });
      });

      it('leaves its record to TTL at its until, as cleanup only', async () => {
        await stores.suppressions.suppress(rested('cleaned@example.com'));

        expect(await itemOf('cleaned@example.com')).toMatchObject({
          expiresAt: Date.parse('2026-12-01T09:00:00.000Z') / 1000,
        });
      });

      it('gives way to a suppression for good, which TTL then leaves alone', async () => {
        await stores.suppressions.suppress(rested('then-gone@example.com'));

        await stores.suppressions.suppress({
          channel: 'email',
          address: 'then-gone@example.com',
          reason: 'bounce',
          at: '2026-11-05T09:00:00.000Z',
          detail: 'General: smtp; 550 5.1.1 user unknown',
        });

        expect(await stores.suppressions.find('email', 'then-gone@example.com')).toEqual({
          reason: 'bounce',
          at: '2026-11-05T09:00:00.000Z',
          detail: 'General: smtp; 550 5.1.1 user unknown',
        });
        expect(await stores.suppressions.isSuppressed('email', 'then-gone@example.com', farFuture)).toBe(
          true,
        );
        expect(await itemOf('then-gone@example.com')).not.toHaveProperty('expiresAt');
      });

      it('never replaces or shortens a suppression for good', async () => {
        const complaint: Suppression = {
          channel: 'email',
          address: 'complained@example.com',
          reason: 'complaint',
          at: '2026-10-01T09:00:00.000Z',
        };
        await stores.suppressions.suppress(complaint);

        await stores.suppressions.suppress(rested('complained@example.com'));

        expect(await stores.suppressions.find('email', 'complained@example.com')).toEqual({
          reason: 'complaint',
          at: '2026-10-01T09:00:00.000Z',
        });
        expect(await stores.suppressions.isSuppressed('email', 'complained@example.com', farFuture)).toBe(
          true,
        );
        expect(await itemOf('complained@example.com')).not.toHaveProperty('expiresAt');
      });

      it('keeps the first while it holds, and is replaced by a new one once it has lapsed', async () => {
        await stores.suppressions.suppress(rested('twice@example.com'));

        await stores.suppressions.suppress({
          ...rested('twice@example.com'),
          at: '2026-11-15T09:00:00.000Z',
          until: '2026-12-15T09:00:00.000Z',
        });
        expect(await stores.suppressions.find('email', 'twice@example.com')).toMatchObject({
          until: '2026-12-01T09:00:00.000Z',
        });

        await stores.suppressions.suppress({
          ...rested('twice@example.com'),
          at: '2026-12-01T09:00:00.000Z',
          until: '2026-12-31T09:00:00.000Z',
        });
        expect(await stores.suppressions.find('email', 'twice@example.com')).toMatchObject({
          at: '2026-12-01T09:00:00.000Z',
          until: '2026-12-31T09:00:00.000Z',
        });
        expect(await stores.suppressions.isSuppressed('email', 'twice@example.com', atUntil)).toBe(true);
      });

      it('is replaced by an erasure, which holds for good', async () => {
        await stores.suppressions.suppress(rested('rested-then-erased@example.com'));

        const replaced = await stores.suppressions.suppressForErasure(
          'email',
          'rested-then-erased@example.com',
          new Date('2026-11-20T09:00:00.000Z'),
        );

        expect(replaced).toBe(true);
        expect(JSON.stringify(await stores.table.scan())).not.toContain('rested-then-erased@example.com');
        expect(
          await stores.suppressions.isSuppressed('email', 'rested-then-erased@example.com', farFuture),
        ).toBe(true);
        expect(await stores.suppressions.find('email', 'rested-then-erased@example.com')).toEqual({
          reason: 'erasure',
          at: '2026-11-20T09:00:00.000Z',
        });
      });

      it('is not written down in the clear for an erased address', async () => {
        await stores.suppressions.suppressForErasure(
          'email',
          'erased-first@example.com',
          new Date('2026-10-20T09:00:00.000Z'),
        );

        await stores.suppressions.suppress(rested('erased-first@example.com'));

        expect(JSON.stringify(await stores.table.scan())).not.toContain('erased-first@example.com');
        expect(await stores.suppressions.find('email', 'erased-first@example.com')).toMatchObject({
          reason: 'erasure',
        });
      });
    });
  });

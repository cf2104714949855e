import { beforeAll, describe, expect, it } from 'vitest';
import type { ContractStores, MakeStores } from './stores.js';

/** SoftBounceLog: one bounce per address and mail, read back from a moment on, with no address in the clear. */
export const softBounceLogContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    const expiresAt = 1_800_000_000;

    it('keeps a bounce once per address and mail, with the time it was first recorded', async () => {
      const first = await stores.softBounces.record(
        'full@example.com',
        { mailId: 'mail-1', at: '2026-11-01T09:00:00.000Z' },
        expiresAt,
      );
      const again = await stores.softBounces.record(
        'Full@Example.com',
        { mailId: 'mail-1', at: '2026-11-02T09:00:00.000Z' },
        expiresAt,
      );
      const otherRecipient = await stores.softBounces.record(
        'also-full@example.com',
        { mailId: 'mail-1', at: '2026-11-01T09:00:00.000Z' },
        expiresAt,
      );

      expect([first, again, otherRecipient]).toEqual([true, false, true]);
      expect(await stores.softBounces.since('full@example.com', '2026-10-01T00:00:00.000Z')).toEqual([
        { mailId: 'mail-1', at: '2026-11-01T09:00:00.000Z' },
      ]);
    });

    it('finds the bounces at or after a moment, oldest first', async () => {
      const address = 'often-full@example.com';
      for (const [mailId, at] of [
        ['mail-c', '2026-11-20T09:00:00.000Z'],
        ['mail-a', '2026-11-01T09:00:00.000Z'],
        ['mail-b', '2026-11-10T09:00:00.000Z'],
      ] as const)
        await stores.softBounces.record(address, { mailId, at }, expiresAt);

      expect(await stores.softBounces.since(address, '2026-11-10T09:00:00.000Z')).toEqual([
        { mailId: 'mail-b', at: '2026-11-10T09:00:00.000Z' },
        { mailId: 'mail-c', at: '2026-11-20T09:00:00.000Z' },
      ]);
      expect(await stores.softBounces.since(address, '2026-11-21T00:00:00.000Z')).toEqual([]);
      expect(await stores.softBounces.since('never-bounced@example.com', '2026-01-01T00:00:00.000Z')).toEqual(
        [],
      );
    });

    it('writes the address only as a hash, and lets TTL clean each bounce up', async () => {
      await stores.softBounces.record(
        'private@example.com',
        { mailId: 'mail-p', at: '2026-11-01T09:00:00.000Z' },
        expiresAt,
      );

      const items = await stores.table.scan();
      expect(JSON.stringify(items)).not.toContain('private@example.com');
      expect(items.find((item) => item.mailId === 'mail-p')).toMatchObject({
        type: 'soft-bounce',
        expiresAt,
      });
    });
  });

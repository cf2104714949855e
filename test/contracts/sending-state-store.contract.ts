import { beforeEach, describe, expect, it } from 'vitest';
import type { ContractStores, MakeStores } from './stores.js';

const complaintPause = {
  at: '2026-12-01T09:00:00.000Z',
  source: 'complaint-rate',
  cause: 'complaint rate 0.15 % (3 of 2000 sent) at or above the critical threshold 0.10 %',
} as const;

/**
 * SendingStateStore: active until paused; a pause stands until resumed (a second
 * pause keeps the first and its cause); a resume keeps the pause it ended.
 */
export const sendingStateStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('is active at version 0 before anything was recorded', async () => {
      expect(await stores.sendingState.get()).toEqual({ status: 'active', version: 0 });
    });

    it('pauses once: a second pause keeps the first cause', async () => {
      expect(await stores.sendingState.pause(complaintPause)).toBe('paused');
      expect(
        await stores.sendingState.pause({
          at: '2026-12-01T10:00:00.000Z',
          source: 'alarm',
          cause: 'rapport-ses-bounce-rate-critical: threshold crossed',
        }),
      ).toBe('already-paused');

      expect(await stores.sendingState.get()).toEqual({
        status: 'paused',
        version: 1,
        pause: complaintPause,
      });
    });

    it('resumes a pause and keeps it as the last one, and a resume when active changes nothing', async () => {
      expect(await stores.sendingState.resume({ at: '2026-12-01T08:00:00.000Z', by: 'admin-1' })).toBe(
        'not-paused',
      );
      await stores.sendingState.pause(complaintPause);

      expect(await stores.sendingState.resume({ at: '2026-12-02T08:00:00.000Z', by: 'admin-1' })).toBe(
        'resumed',
      );
      expect(await stores.sendingState.resume({ at: '2026-12-02T08:01:00.000Z', by: 'admin-2' })).toBe(
        'not-paused',
      );

      expect(await stores.sendingState.get()).toEqual({
        status: 'active',
        version: 2,
        lastPause: { ...complaintPause, resumedAt: '2026-12-02T08:00:00.000Z', resumedBy: 'admin-1' },
      });
    });

    it('pauses again after a resume, counting the version on', async () => {
      await stores.sendingState.pause(complaintPause);
      await stores.sendingState.resume({ at: '2026-12-02T08:00:00.000Z', by: 'admin-1' });
      const bounces = {
        at: '2026-12-03T08:00:00.000Z',
        source: 'bounce-rate',
        cause: 'bounce rate 6.0 %',
      } as const;

      expect(await stores.sendingState.pause(bounces)).toBe('paused');
      expect(await stores.sendingState.get()).toEqual({ status: 'paused', version: 3, pause: bounces });
    });

    it('writes a pause’s audit entry in its transaction, and none when it finds it paused', async () => {
      const entry = {
        id: '01JF0000000000000000000001',
        at: complaintPause.at,
        actor: { id: 'rapport:complaint-rate', role: 'system' },
        method: 'POST',
        route: '/admin/sending/pause',
        target: {},
        status: 200,
        cause: complaintPause.cause,
      } as const;

      expect(await stores.sendingState.pause(complaintPause, entry)).toBe('paused');
      expect(
        await stores.sendingState.pause(complaintPause, { ...entry, id: '01JF0000000000000000000002' }),
      ).toBe('already-paused');

      expect((await stores.audit.list(10)).entries).toEqual([{ ...entry, versionAfter: 1 }]);
    });

    it('keeps the counters a resume was given with the pause it ended', async () => {
      await stores.sendingState.pause(complaintPause);
      const countsAtResume = { '2026-12-01': { send: 2000, bounce: 12, complaint: 3 } };

      await stores.sendingState.resume({ at: '2026-12-01T10:00:00.000Z', by: 'admin-1', countsAtResume });

      expect(await stores.sendingState.get()).toMatchObject({ lastPause: { countsAtResume } });
    });

    it('lets one of two pauses racing from the same state win, and the other find it paused', async () => {
      const outcomes = await Promise.all([
        stores.sendingState.pause(complaintPause),
        stores.sendingState.pause({ ...complaintPause, source: 'alarm', cause: 'the alarm' }),
      ]);

      expect([...outcomes].sort()).toEqual(['already-paused', 'paused']);
      expect((await stores.sendingState.get()).version).toBe(1);
    });
  });

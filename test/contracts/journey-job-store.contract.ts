import { beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '../../lib/domain/errors.js';
import type { JourneyJob } from '../../lib/domain/journey-job.js';
import { newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const aJob = (subject: string, createdAt: string, overrides: Partial<JourneyJob> = {}): JourneyJob => ({
  id: newId(),
  subject,
  work: { kind: 'archive' },
  status: 'pending',
  cursor: { shard: 0 },
  counts: { seen: 0, changed: 0, unchanged: 0 },
  createdAt,
  updatedAt: createdAt,
  revision: 1,
  ...overrides,
});

/** JourneyJobStore: jobs listed per subject, the pending ones oldest first, saved over their revision. */
export const journeyJobStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('lists a subject’s jobs newest first, and the pending ones of every subject oldest first', async () => {
      const first = aJob('welcome', '2026-11-01T09:00:00.000Z');
      const second = aJob('welcome', '2026-11-02T09:00:00.000Z');
      const other = aJob('win-back', '2026-11-01T10:00:00.000Z');
      const done = aJob('welcome', '2026-10-01T09:00:00.000Z', {
        status: 'done',
        finishedAt: '2026-10-01T09:05:00.000Z',
      });
      for (const job of [second, done, other, first]) await stores.jobs.create(job);

      expect((await stores.jobs.listForSubject('welcome')).map((job) => job.id)).toEqual(
        [first, second, done]
          .map((job) => job.id)
          .sort()
          .reverse(),
      );
      expect(await stores.jobs.listForSubject('nobody')).toEqual([]);
      expect(await stores.jobs.pending()).toEqual([first, other, second]);
    });

    it('saves progress only over the revision that was read', async () => {
      const job = aJob('welcome', '2026-11-01T09:00:00.000Z');
      await stores.jobs.create(job);
      const moved = {
        ...job,
        cursor: { shard: 3 },
        counts: { seen: 5, changed: 4, unchanged: 1 },
        revision: 2,
      };

      await stores.jobs.save(moved, 1);
      await expect(stores.jobs.save({ ...job, revision: 2 }, 1)).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );

      const finished = {
        ...moved,
        status: 'done' as const,
        finishedAt: '2026-11-01T09:10:00.000Z',
        revision: 3,
      };
      await stores.jobs.save(finished, 2);
      expect(await stores.jobs.listForSubject('welcome')).toEqual([finished]);
      expect(await stores.jobs.pending()).toEqual([]);
    });
  });

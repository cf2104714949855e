import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { countSegment, type ManageSegmentsDeps, putSegment } from '../../../lib/app/manage-segments.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import { aSignup, aSubscribedContact } from '../../support/builders.js';
import { pageBudget } from '../../support/page-budget.js';
import { aWorld, jobDepsFor } from './support/worlds.js';

let world: MemoryWorld;
let deps: ManageSegmentsDeps;

beforeEach(async () => {
  world = aWorld('2026-12-01T12:00:00.000Z');
  deps = {
    segments: world.segments,
    contacts: world.contacts,
    jobs: world.jobs,
    ids: world.ids,
    clock: world.clock,
  };
  for (let index = 0; index < 20; index += 1) await world.contacts.create(aSignup(aSubscribedContact()));
  await putSegment(deps, 'everyone', { name: 'Everyone', condition: {} });
  await putSegment(deps, 'no-one', { name: 'No one', condition: { 'contact.attributes.tier': 'none' } });
  await countSegment(deps, 'everyone');
  await countSegment(deps, 'no-one');
});

const segmentOf = (work: { kind: string; segmentId?: string }) => work.segmentId;

describe('when two jobs are pending in one run', () => {
  it('finishes both when the budget allows, however few pages a turn holds', async () => {
    const progress = await runJourneyJobs(jobDepsFor(world), {
      outOfTime: () => false,
      pageSize: 2,
      pagesPerJob: 1,
    });

    expect(progress.map((job) => [job.kind, job.status, job.counts.seen])).toEqual([
      ['segment-count', 'done', 20],
      ['segment-count', 'done', 20],
    ]);
    expect(await world.jobs.pending()).toEqual([]);
  });

  it('takes turns of pagesPerJob pages each, round and round, until the budget runs out', async () => {
    const budget = pageBudget(world.jobs, 6);

    await runJourneyJobs(jobDepsFor(world, { jobs: budget.jobs }), {
      outOfTime: budget.outOfTime,
      pageSize: 2,
      pagesPerJob: 2,
    });

    expect(budget.saved.map((job) => segmentOf(job.work))).toEqual([
      'everyone',
      'everyone',
      'no-one',
      'no-one',
      'everyone',
      'everyone',
    ]);
    // Neither is done: the run stopped both where their last saved page left them.
    expect(await world.jobs.pending()).toHaveLength(2);
  });
});

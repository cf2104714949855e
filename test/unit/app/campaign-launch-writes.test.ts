import { beforeEach, describe, expect, it } from 'vitest';
import { launchCampaign } from '../../../lib/app/manage-campaigns.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import type { CampaignAudienceChunk } from '../../../lib/domain/campaign.js';
import type { JobCursor } from '../../../lib/domain/journey-job.js';
import type { CampaignAudienceStore } from '../../../lib/ports/campaign-store.js';
import type { StatsStore } from '../../../lib/ports/stats-store.js';
import { aCampaign, aCampaignWorld, type CampaignWorld } from './support/campaigns.js';
import { jobDepsFor } from './support/worlds.js';

let w: CampaignWorld;
let everyone: string[];

beforeEach(async () => {
  w = await aCampaignWorld();
  everyone = [];
  for (let index = 0; index < 160; index += 1) everyone.push((await w.addContact()).id);
  await w.world.campaigns.put(
    aCampaign({
      holdout: 20,
      variants: [
        { id: 'a', weight: 1, subject: 'A' },
        { id: 'b', weight: 1, subject: 'B' },
      ],
    }),
    w.world.clock.now(),
  );
  await launchCampaign(w.manage, 'winter-sale', undefined);
});

/** Only the launch: the sends wait for their turn in another test. */
const launchOnly = (deps: Parameters<typeof jobDepsFor>[1] = {}, pageSize = 20) =>
  runJourneyJobs(
    jobDepsFor(w.world, {
      ...deps,
      jobs: {
        pending: async () =>
          (await w.world.jobs.pending()).filter((job) => job.work.kind === 'campaign-launch'),
        listForSubject: (subject) => w.world.jobs.listForSubject(subject),
        save: (job, revision) => w.world.jobs.save(job, revision),
        create: (job) => w.world.jobs.create(job),
      },
    }),
    { outOfTime: () => false, pageSize },
  );

/** Pages the launch saved (a save per page after the job's first revision). */
const launchPages = async (): Promise<number> => {
  const launch = (await w.world.jobs.listForSubject('campaign:winter-sale')).find(
    (job) => job.work.kind === 'campaign-launch',
  );
  return (launch?.revision ?? 1) - 1;
};

const chunksOf = async (campaignId: string): Promise<CampaignAudienceChunk[]> => {
  const chunks: CampaignAudienceChunk[] = [];
  let cursor: JobCursor | undefined = { shard: 0 };
  while (cursor !== undefined) {
    const page = await w.world.campaignAudience.chunks(campaignId, cursor, 10);
    chunks.push(...page.items);
    cursor = page.next;
  }
  return chunks;
};

/** The audience store, recording how many control records were in flight at once at most. */
const watchingControl = () => {
  const inner = w.world.campaignAudience;
  let inFlight = 0;
  const seen = { most: 0 };
  const store: CampaignAudienceStore = {
    addChunk: (chunk) => inner.addChunk(chunk),
    chunks: (campaignId, cursor, limit) => inner.chunks(campaignId, cursor, limit),
    addControl: async (recipient) => {
      inFlight += 1;
      seen.most = Math.max(seen.most, inFlight);
      // Let the others start before this one answers, as a network call would.
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return inner.addControl(recipient);
    },
    get: (campaignId, contactId) => inner.get(campaignId, contactId),
  };
  return { store, seen };
};

/** The stats store, recording every increment. */
const recordingStats = () => {
  const increments: { scope: string; metric: string; by: number }[] = [];
  const store: StatsStore = {
    increment: async (scope, day, metric, by = 1) => {
      increments.push({ scope, metric, by });
      await w.world.stats.increment(scope, day, metric, by);
    },
    countOnce: (mark, counted) => w.world.stats.countOnce(mark, counted),
    read: (scope, day) => w.world.stats.read(scope, day),
  };
  return { store, increments };
};

describe('when a launch freezes a page of the audience', () => {
  it('writes one chunk a page with its treatment members in walk order, and nothing under their contacts', async () => {
    await launchOnly();

    const chunks = await chunksOf('winter-sale');
    const control = everyone.filter(
      (contactId) => w.world.table.get({ PK: `C#${contactId}`, SK: 'CAMPAIGN#winter-sale' }) !== undefined,
    );
    const members = chunks.flatMap((chunk) => chunk.contactIds);
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.length).toBeLessThanOrEqual(await launchPages());
    expect(chunks.every((chunk) => chunk.contactIds.length <= 20)).toBe(true);
    expect(new Set(members).size).toBe(members.length);
    expect(members.length + control.length).toBe(160);
    expect(control.length).toBeGreaterThan(10);
    // No message yet: they are written at their slots, by the send.
    expect(w.world.drainInserts().filter((insert) => insert.kind === 'message')).toEqual([]);
  });

  it('writes the control members’ records side by side', async () => {
    const control = watchingControl();
    await launchOnly({ campaignAudience: control.store });
    expect(control.seen.most).toBeGreaterThan(1);
  });

  it('adds each page’s members to their counters with one increment per counter, and the totals add up', async () => {
    const stats = recordingStats();

    await launchOnly({ stats: stats.store });

    const members = stats.increments.filter((increment) => increment.metric.startsWith('members:'));
    const sum = (scope: string, metric?: string) =>
      members
        .filter(
          (increment) => increment.scope === scope && (metric === undefined || increment.metric === metric),
        )
        .reduce((total, increment) => total + increment.by, 0);
    expect(sum('campaign:winter-sale')).toBe(160);
    expect(sum('campaign:winter-sale/a') + sum('campaign:winter-sale/b')).toBe(
      sum('campaign:winter-sale', 'members:treatment'),
    );
    // At most one increment per counter (control, treatment, a, b) and page, where one a recipient made 2.
    expect(members.length).toBeLessThanOrEqual(4 * (await launchPages()));
    expect(members.length).toBeLessThan(160);
  });
});

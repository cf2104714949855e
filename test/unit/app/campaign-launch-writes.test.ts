import { beforeEach, describe, expect, it } from 'vitest';
import { launchCampaign } from '../../../lib/app/manage-campaigns.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import type { CampaignRecipientStore } from '../../../lib/ports/campaign-store.js';
import type { StatsStore } from '../../../lib/ports/stats-store.js';
import { aCampaign, aCampaignWorld, type CampaignWorld } from './support/campaigns.js';
import { jobDepsFor } from './support/worlds.js';

let w: CampaignWorld;

beforeEach(async () => {
  w = await aCampaignWorld();
  for (let index = 0; index < 160; index += 1) await w.addContact();
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

/** The recipient store, recording how many adds were in flight at once at most. */
const watchingAdds = () => {
  const inner = w.world.campaignRecipients;
  let inFlight = 0;
  const seen = { most: 0 };
  const store: CampaignRecipientStore = {
    add: async (recipient) => {
      inFlight += 1;
      seen.most = Math.max(seen.most, inFlight);
      // Let the others start before this one answers, as a network call would.
      await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
      return inner.add(recipient);
    },
    get: (campaignId, contactId) => inner.get(campaignId, contactId),
    page: (campaignId, cursor, limit) => inner.page(campaignId, cursor, limit),
    release: (campaignId, contactId, variant, sendAt) =>
      inner.release(campaignId, contactId, variant, sendAt),
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
    read: (scope, day) => w.world.stats.read(scope, day),
  };
  return { store, increments };
};

describe('when a launch writes a page of recipients', () => {
  it('writes them side by side, with the slots still in walk order', async () => {
    const adds = watchingAdds();

    await runJourneyJobs(jobDepsFor(w.world, { campaignRecipients: adds.store }), {
      outOfTime: () => false,
      pageSize: 20,
    });

    expect(adds.seen.most).toBeGreaterThan(1);
    const launch = (await w.world.jobs.listForSubject('campaign:winter-sale')).find(
      (job) => job.work.kind === 'campaign-launch',
    );
    const slots = w.world
      .wheel()
      .map((entry) => entry.timer.dueAt)
      .sort();
    expect(launch?.pacing?.queued).toBe(slots.length);
    // Slot i is launch + floor(i / 14) s: every slot from the first on, none skipped, none twice.
    expect(slots).toEqual(
      slots.map((_, index) =>
        new Date(Date.parse('2026-12-01T09:00:00.000Z') + Math.floor(index / 14) * 1000).toISOString(),
      ),
    );
  });

  it('adds each page’s members to their counters with one increment per counter, and the totals add up', async () => {
    const stats = recordingStats();

    await runJourneyJobs(jobDepsFor(w.world, { stats: stats.store }), {
      outOfTime: () => false,
      pageSize: 20,
    });

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
    const launch = (await w.world.jobs.listForSubject('campaign:winter-sale')).find(
      (job) => job.work.kind === 'campaign-launch',
    );
    const pages = launch?.revision ?? 0;
    expect(pages).toBeGreaterThan(0);
    expect(members.length).toBeLessThanOrEqual(4 * pages);
    expect(members.length).toBeLessThan(160);
  });
});

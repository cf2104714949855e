import { beforeEach, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../../lib/app/journey-jobs.js';
import { launchCampaign } from '../../../lib/app/manage-campaigns.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import { campaignMessageKey } from '../../../lib/domain/campaign.js';
import type { Contact } from '../../../lib/domain/contact.js';
import type { Clock } from '../../../lib/ports/clock.js';
import { aCampaign, aCampaignWorld, type CampaignWorld } from './support/campaigns.js';
import { jobDepsFor } from './support/worlds.js';

let w: CampaignWorld;
let people: Contact[];

beforeEach(async () => {
  w = await aCampaignWorld();
  people = [];
  for (let index = 0; index < 30; index += 1) people.push(await w.addContact());
});

const launch = async (sendRate: number) => {
  await w.world.campaigns.put(aCampaign({ sendRate }), w.world.clock.now());
  return launchCampaign(w.manage, 'winter-sale', undefined);
};

const slotsWritten = async (): Promise<string[]> =>
  (
    await Promise.all(
      people.map((person) => w.world.outbox.get(person.id, campaignMessageKey('winter-sale'))),
    )
  )
    .flatMap((message) => (message === undefined ? [] : [message.createdAt]))
    .sort();

const sendJob = async () =>
  (await w.world.jobs.listForSubject('campaign:winter-sale')).find(
    (job) => job.work.kind === 'campaign-send',
  );

/** One journey-jobs run as the schedule makes it: pacing until `paceSeconds` from now. */
const oneRun = (paceSeconds: number, clock: Clock = w.world.clock) =>
  runJourneyJobs(jobDepsFor(w.world, { clock }), {
    outOfTime: () => false,
    paceUntil: new Date(w.world.clock.now().getTime() + paceSeconds * 1000),
  });

describe('when one journey-jobs run paces a campaign', () => {
  it('writes every slot that falls in its pace window, waiting a second at a time, and saves no wait', async () => {
    const launched = await launch(5);
    await oneRun(58);

    const slots = await slotsWritten();
    expect(slots).toHaveLength(30);
    const launchedAt = Date.parse(launched.launchedAt ?? '');
    expect(slots.map((slot) => (Date.parse(slot) - launchedAt) / 1000)).toEqual(
      Array.from({ length: 30 }, (_, index) => Math.floor(index / 5)),
    );
    // The run waited for the slots: its clock moved on to the last one.
    expect(w.world.clock.now().getTime() - launchedAt).toBeGreaterThanOrEqual(5_000);
    expect((await sendJob())?.status).toBe('done');
  });

  it('sets the send aside for the next run when the next slot is past the window', async () => {
    await launch(1);
    const started = w.world.clock.now().getTime();
    await oneRun(10);

    const job = await sendJob();
    expect(job?.status).toBe('pending');
    expect((await slotsWritten()).length).toBeGreaterThanOrEqual(10);
    expect((await slotsWritten()).length).toBeLessThanOrEqual(12);
    expect(Date.parse(job?.runAfter ?? '') - started).toBeGreaterThan(10_000);
  });

  it('takes up a job filed while it waits, without waiting for the next run', async () => {
    await launch(1);
    let filed = false;
    const clock: Clock = {
      now: () => w.world.clock.now(),
      sleep: async (ms) => {
        await w.world.clock.sleep(ms);
        if (filed) return;
        filed = true;
        await enqueueJob({ jobs: w.world.jobs, clock: w.world.clock, ids: w.world.ids }, 'segment:gold', {
          kind: 'segment-count',
          segmentId: 'gold',
          version: 1,
          at: w.world.clock.now().toISOString(),
        });
      },
    };
    await oneRun(20, clock);

    const [count] = await w.world.jobs.listForSubject('segment:gold');
    expect(count).toMatchObject({ status: 'done', result: { members: 30 } });
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import { startEngagementClock } from '../../../lib/app/start-engagement-clock.js';
import { isSunset } from '../../../lib/domain/engagement.js';
import { engagementJobSubject } from '../../../lib/domain/journey-job.js';
import { aSignup, aSubscribedContact } from '../../support/builders.js';
import { aWorld, jobDepsFor } from './support/worlds.js';

const upgradedAt = '2026-12-01T09:00:00.000Z';
let world: MemoryWorld;

const runJobs = () => runJourneyJobs(jobDepsFor(world), { outOfTime: () => false, pageSize: 2 });

beforeEach(() => {
  world = aWorld(upgradedAt, 2);
});

describe('when a deployment first records engagement', () => {
  it('files the job that starts the clock once, however often the content is seeded', async () => {
    const first = await startEngagementClock(world);
    world.clock.advance(86_400_000);
    const again = await startEngagementClock(world);

    expect(first?.work).toEqual({ kind: 'engagement-start', startedAt: upgradedAt });
    expect(again).toBeUndefined();
    expect(await world.jobs.listForSubject(engagementJobSubject)).toHaveLength(1);
  });

  it('starts the clock at the upgrade on every profile without one, and leaves a recorded engagement alone', async () => {
    const confirmedLongAgo = aSubscribedContact({
      email: 'reader@example.com',
      consent: {
        email: { status: 'subscribed', changedAt: '2023-03-01T08:00:00.000Z' },
        sms: { status: 'none', changedAt: '2023-03-01T08:00:00.000Z' },
      },
    });
    const engaged = aSubscribedContact({
      email: 'clicker@example.com',
      lastEngagedAt: '2026-11-20T10:00:00.000Z',
    });
    const others = [1, 2, 3].map((index) => aSubscribedContact({ email: `other-${index}@example.com` }));
    for (const contact of [confirmedLongAgo, engaged, ...others])
      await world.contacts.create(aSignup(contact));
    const sunsetAfter = 'P365D';
    const aMonthLater = new Date('2027-01-01T09:00:00.000Z');
    // Before the job, the years-old subscription counts: the reader would be sunset at once.
    expect(isSunset(confirmedLongAgo, sunsetAfter, aMonthLater)).toBe(true);

    await startEngagementClock(world);
    await runJobs();

    const reader = await world.contacts.get(confirmedLongAgo.id);
    expect(reader?.lastEngagedAt).toBe(upgradedAt);
    expect(reader !== undefined && isSunset(reader, sunsetAfter, aMonthLater)).toBe(false);
    expect((await world.contacts.get(engaged.id))?.lastEngagedAt).toBe('2026-11-20T10:00:00.000Z');
    const [job] = await world.jobs.listForSubject(engagementJobSubject);
    expect(job).toMatchObject({ status: 'done', counts: { seen: 5, changed: 4, unchanged: 1 } });
  });
});

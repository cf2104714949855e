import { beforeEach, describe, expect, it } from 'vitest';
import { launchCampaign } from '../../../lib/app/manage-campaigns.js';
import { inTestShare } from '../../../lib/domain/campaign-plan.js';
import { aCampaign, aCampaignWorld, type CampaignWorld } from './support/campaigns.js';

let w: CampaignWorld;

beforeEach(async () => {
  w = await aCampaignWorld();
});

describe('when a campaign tests two subjects first', () => {
  it('sends the test share, then the rest with the variant that got more clicks per send', async () => {
    for (let index = 0; index < 100; index += 1) await w.addContact();
    await w.world.campaigns.put(
      aCampaign({
        variants: [
          { id: 'a', weight: 1, subject: 'Subject A' },
          { id: 'b', weight: 1, subject: 'Subject B' },
        ],
        abTest: { testPercent: 20, window: 'PT4H', metric: 'click-rate' },
        sendRate: 10,
      }),
      w.world.clock.now(),
    );
    await launchCampaign(w.manage, 'winter-sale', undefined);
    await w.settle('2026-12-01T12:00:00.000Z');

    const tested = w.world.mailer.sent();
    expect(tested.length).toBeGreaterThanOrEqual(8);
    expect(tested.length).toBeLessThanOrEqual(35);
    // SES feedback counts clicks per variant; here written directly: B is clicked more per send.
    const day = '2026-12-01';
    const sentB = (await w.world.stats.read('campaign:winter-sale/b', day)).sent ?? 0;
    const sentA = (await w.world.stats.read('campaign:winter-sale/a', day)).sent ?? 0;
    expect(sentA + sentB).toBe(tested.length);
    await w.world.stats.increment('campaign:winter-sale/a', day, 'click', 1);
    await w.world.stats.increment('campaign:winter-sale/b', day, 'click', sentB);
    expect((await w.world.campaigns.get('winter-sale'))?.winner).toBeUndefined();

    await w.settle();

    expect((await w.world.campaigns.get('winter-sale'))?.winner).toBe('b');
    const all = w.world.mailer.sent();
    expect(all).toHaveLength(100);
    expect(new Set(all.map((sent) => sent.email.to)).size).toBe(100);
    const rest = all.slice(tested.length);
    expect(rest.every((sent) => sent.email.subject === 'Subject B')).toBe(true);
    // The rest went after the window: 4 hours after the test share's last slot.
    expect(rest[0]?.at.slice(0, 13)).toBe('2026-12-01T13');
    expect((await w.world.campaigns.get('winter-sale'))?.status).toBe('sent');
  });
});

describe('when an A/B campaign goes out at a local time', () => {
  it('releases the held share at the local time in each contact’s own zone, not the deployment’s', async () => {
    w = await aCampaignWorld('2026-12-02T23:00:00.000Z');
    const campaign = aCampaign({
      schedule: { kind: 'local', date: '2026-12-03', time: '10:00' },
      variants: [
        { id: 'a', weight: 1, subject: 'Subject A' },
        { id: 'b', weight: 1, subject: 'Subject B' },
      ],
      abTest: { testPercent: 20, window: 'PT1H', metric: 'click-rate' },
    });
    // The test share lives in Tokyo (10:00 there is 01:00 UTC), the rest in Berlin (09:00 UTC):
    // the window ends at about 02:00 UTC, before Berlin's 10:00.
    for (let index = 0; index < 40; index += 1) {
      const id = `reader-${index}`;
      await w.addContact({ id, timeZone: inTestShare(campaign, id) ? 'Asia/Tokyo' : 'Europe/Berlin' });
    }
    await w.world.campaigns.put(campaign, w.world.clock.now());
    await launchCampaign(w.manage, 'winter-sale', undefined);
    await w.settle();

    const sent = w.world.mailer.sent();
    expect(sent).toHaveLength(40);
    const berlin = sent.filter((mail) => mail.at >= '2026-12-03T03:00');
    expect(berlin.length).toBeGreaterThan(0);
    // The deployment's zone is UTC: read there, 10:00 would be 10:00 UTC.
    expect(berlin.every((mail) => mail.at.startsWith('2026-12-03T09:00'))).toBe(true);
  });
});

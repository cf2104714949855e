import { beforeEach, describe, expect, it } from 'vitest';
import { campaignReportOf } from '../../../lib/app/campaign-report.js';
import { handleContactEvent } from '../../../lib/app/handle-contact-event.js';
import { launchCampaign } from '../../../lib/app/manage-campaigns.js';
import { campaignMessageKey } from '../../../lib/domain/campaign.js';
import type { CampaignReport } from '../../../lib/domain/campaign-report.js';
import { newId } from '../../support/builders.js';
import { aCampaign, aCampaignWorld, type CampaignWorld } from './support/campaigns.js';
import { deploymentFor } from './support/worlds.js';

let w: CampaignWorld;
let contactIds: string[];

const report = (): Promise<CampaignReport> =>
  campaignReportOf(
    { campaigns: w.world.campaigns, stats: w.world.stats, clock: w.world.clock },
    'winter-sale',
    'EUR',
  );

beforeEach(async () => {
  w = await aCampaignWorld();
  contactIds = [];
  for (let index = 0; index < 60; index += 1) contactIds.push((await w.addContact()).id);
  await w.world.campaigns.put(
    aCampaign({
      holdout: 25,
      variants: [
        { id: 'a', weight: 1, subject: 'Subject A' },
        { id: 'b', weight: 1, subject: 'Subject B' },
      ],
      abTest: { testPercent: 30, window: 'PT4H', metric: 'click-rate' },
      goal: { event: 'order_completed', within: 'P7D' },
      sendRate: 10,
    }),
    w.world.clock.now(),
  );
  await launchCampaign(w.manage, 'winter-sale', undefined);
  await w.settle();
});

describe('when a campaign with a holdout and an A/B test has gone out', () => {
  it('counts every recipient once in its group, and each treatment recipient under the variant they got', async () => {
    const { total, variants, winner } = await report();
    expect(total.audience.treatment + total.audience.control).toBe(contactIds.length);
    expect(total.audience.control).toBeGreaterThan(0);
    expect(total.sent).toBe(total.audience.treatment);
    expect(w.world.mailer.sent()).toHaveLength(total.sent);
    // Those held for the winner joined its variant when they were released to it.
    expect(variants.reduce((sum, variant) => sum + variant.audience.treatment, 0)).toBe(
      total.audience.treatment,
    );
    expect(variants.reduce((sum, variant) => sum + variant.sent, 0)).toBe(total.sent);
    expect(winner).not.toBeNull();
  });

  it('reports the goal’s conversions of treatment and control from the events the journeys function handles', async () => {
    const { audience } = (await report()).total;
    // Control members have a record; treatment members their message.
    const records = await Promise.all(
      contactIds.map((contactId) => w.world.campaignAudience.get('winter-sale', contactId)),
    );
    const control = records.filter((record) => record?.group === 'control');
    const treatment = (
      await Promise.all(
        contactIds.map((contactId) => w.world.outbox.get(contactId, campaignMessageKey('winter-sale'))),
      )
    ).filter((message) => message !== undefined);
    const advance = deploymentFor(w.world).advance;
    const buys = async (contactId: string | undefined, revenue: number) => {
      if (contactId === undefined) throw new Error('no such recipient');
      await handleContactEvent(advance, {
        id: newId(),
        contactId,
        type: 'order_completed',
        at: w.world.clock.now().toISOString(),
        data: { orderId: newId(), revenue, currency: 'EUR' },
      });
    };
    await buys(treatment[0]?.contactId, 40);
    await buys(treatment[1]?.contactId, 60.5);
    await buys(treatment[1]?.contactId, 99);
    await buys(control[0]?.contactId, 10);

    const goal = (await report()).goal;

    expect(goal?.holdout.treatment).toMatchObject({
      members: audience.treatment,
      conversions: 2,
      revenue: 100.5,
    });
    expect(goal?.holdout.control).toMatchObject({ members: audience.control, conversions: 1, revenue: 10 });
    expect(goal?.variants.reduce((sum, variant) => sum + variant.holdout.treatment.conversions, 0)).toBe(2);
  });
});

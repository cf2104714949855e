import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { campaignMessage } from '../../../lib/app/campaign-jobs.js';
import { handleContactEvent } from '../../../lib/app/handle-contact-event.js';
import { type RecordCampaignGoalsDeps, recordCampaignGoals } from '../../../lib/app/record-campaign-goals.js';
import { type CampaignRecipient, measuresGoal } from '../../../lib/domain/campaign.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { statsScope } from '../../../lib/domain/stats-keys.js';
import { aSignup, aSubscribedContact, newId } from '../../support/builders.js';
import { springSale } from './support/campaigns.js';
import { aWorld, deploymentFor } from './support/worlds.js';

/** Bought for at least 20 within a week of the mail. */
const spring = springSale({
  goal: { event: 'order_completed', condition: { 'event.data.revenue': { $gte: 20 } }, within: 'P7D' },
});

const frozenDay = '2026-11-20';
const frozenAt = `${frozenDay}T09:00:00.000Z`;
const sendAt = `${frozenDay}T10:00:00.000Z`;

let world: MemoryWorld;
let deps: RecordCampaignGoalsDeps;

/** A member as the launch and the send leave them: a control record, or a treatment member's message. */
const aRecipient = async (overrides: Partial<CampaignRecipient> = {}): Promise<CampaignRecipient> => {
  const contact = aSubscribedContact();
  await world.contacts.create(aSignup(contact));
  const recipient: CampaignRecipient = {
    campaignId: spring.id,
    contactId: contact.id,
    group: 'treatment',
    variant: 'a',
    sendAt,
    ...overrides,
  };
  const campaign = await world.campaigns.get(spring.id);
  if (campaign === undefined) throw new Error('the campaign is saved');
  if (recipient.group === 'control') await world.campaignAudience.addControl(recipient);
  else await world.outbox.enqueue(campaignMessage(campaign, contact.id, recipient.variant, recipient.sendAt));
  return recipient;
};

const anOrder = (contactId: string, at: string, revenue = 49.9): ContactEvent => ({
  id: newId(),
  contactId,
  type: 'order_completed',
  at,
  data: { orderId: newId(), revenue, currency: 'EUR' },
});

const counters = (scope: string) => world.stats.read(scope, frozenDay);

beforeEach(async () => {
  world = aWorld('2026-11-22T12:00:00.000Z');
  const saved = await world.campaigns.put(spring, world.clock.now());
  await world.campaigns.update(
    spring.id,
    { status: 'sent', launchedAt: frozenAt },
    world.clock.now(),
    saved.version,
  );
  deps = deploymentFor(world).advance.campaignGoals;
});

describe('when a recipient reaches the campaign’s goal within its window', () => {
  it('counts the conversion and its revenue in minor units, under the campaign and the variant, on the day the audience was frozen', async () => {
    const ann = await aRecipient({ variant: 'b' });

    const outcomes = await recordCampaignGoals(deps, anOrder(ann.contactId, '2026-11-22T11:00:00.000Z'));

    expect(outcomes).toEqual([
      { campaignId: 'spring', outcome: 'converted', group: 'treatment', variant: 'b', revenueMinor: 4990 },
    ]);
    const expected = { 'converted:treatment': 1, 'converted-revenue-minor:treatment': 4990 };
    expect(await counters(statsScope.campaign('spring'))).toEqual(expected);
    expect(await counters(statsScope.campaignVariant('spring', 'b'))).toEqual(expected);
    expect(await world.campaignAudience.get('spring', ann.contactId)).toMatchObject({
      goalReachedAt: '2026-11-22T11:00:00.000Z',
    });
  });

  it('counts the goal on the day it was reached too, for conversions over time', async () => {
    const ann = await aRecipient({ variant: 'b' });

    await recordCampaignGoals(deps, anOrder(ann.contactId, '2026-11-22T11:00:00.000Z'));

    const expected = { 'goal:treatment': 1, 'goal-revenue-minor:treatment': 4990 };
    expect(await world.stats.read(statsScope.campaign('spring'), '2026-11-22')).toEqual(expected);
    expect(await world.stats.read(statsScope.campaignVariant('spring', 'b'), '2026-11-22')).toEqual(expected);
  });

  it('counts the conversion on the launch day when the message went out days later', async () => {
    const ann = await aRecipient({ sendAt: '2026-11-21T23:00:00.000Z' });

    await recordCampaignGoals(deps, anOrder(ann.contactId, '2026-11-22T11:00:00.000Z'));

    expect(await counters(statsScope.campaign('spring'))).toMatchObject({ 'converted:treatment': 1 });
    expect(await world.stats.read(statsScope.campaign('spring'), '2026-11-21')).toEqual({});
  });

  it('counts a control recipient from its would-be send slot, under the campaign alone', async () => {
    const bob = await aRecipient({ group: 'control', variant: undefined });

    await recordCampaignGoals(deps, anOrder(bob.contactId, '2026-11-22T11:00:00.000Z', 30));

    expect(await counters(statsScope.campaign('spring'))).toEqual({
      'converted:control': 1,
      'converted-revenue-minor:control': 3000,
    });
  });

  it('counts it once: a replayed event and a later order add nothing', async () => {
    const ann = await aRecipient();
    const order = anOrder(ann.contactId, '2026-11-22T11:00:00.000Z');

    await recordCampaignGoals(deps, order);
    const replayed = await recordCampaignGoals(deps, order);
    const later = await recordCampaignGoals(deps, anOrder(ann.contactId, '2026-11-23T11:00:00.000Z', 80));

    expect(replayed).toEqual([]);
    expect(later).toEqual([]);
    expect(await counters(statsScope.campaignVariant('spring', 'a'))).toEqual({
      'converted:treatment': 1,
      'converted-revenue-minor:treatment': 4990,
    });
  });

  it('converts through the journeys function’s handling of the event', async () => {
    const ann = await aRecipient();

    const handled = await handleContactEvent(
      deploymentFor(world).advance,
      anOrder(ann.contactId, '2026-11-22T11:00:00.000Z'),
    );

    expect(handled.campaigns).toEqual([
      expect.objectContaining({ campaignId: 'spring', outcome: 'converted' }),
    ]);
    expect(await counters(statsScope.campaign('spring'))).toMatchObject({ 'converted:treatment': 1 });
  });
});

describe('when an event does not reach the goal', () => {
  it.each([
    ['before the send slot', '2026-11-20T09:59:59.000Z', 49.9],
    ['after the window closed', '2026-11-27T10:00:01.000Z', 49.9],
    ['below the goal’s condition', '2026-11-22T11:00:00.000Z', 10],
  ])('counts nothing %s', async (_, at, revenue) => {
    const ann = await aRecipient();

    expect(await recordCampaignGoals(deps, anOrder(ann.contactId, at, revenue))).toEqual([]);

    expect(await counters(statsScope.campaign('spring'))).toEqual({});
    expect((await world.campaignAudience.get('spring', ann.contactId))?.goalReachedAt).toBeUndefined();
  });

  it('counts the last moment of the window', async () => {
    const ann = await aRecipient();

    await recordCampaignGoals(deps, anOrder(ann.contactId, '2026-11-27T10:00:00.000Z'));

    expect(await counters(statsScope.campaign('spring'))).toMatchObject({ 'converted:treatment': 1 });
  });

  it('counts nothing for a member not sent to yet (an A/B test’s rest waiting for the winner)', async () => {
    const waiting = aSubscribedContact();
    await world.contacts.create(aSignup(waiting));

    expect(await recordCampaignGoals(deps, anOrder(waiting.id, '2026-11-22T11:00:00.000Z'))).toEqual([]);
    expect(await world.campaignAudience.get('spring', waiting.id)).toBeUndefined();
  });

  it('counts nothing for an event of another type', async () => {
    const ann = await aRecipient();
    const viewed: ContactEvent = {
      ...anOrder(ann.contactId, '2026-11-22T11:00:00.000Z'),
      type: 'product_viewed',
    };

    expect(await recordCampaignGoals(deps, viewed)).toEqual([]);
  });

  it('counts nothing for a campaign without a goal', async () => {
    const { goal: _none, ...withoutGoal } = spring;
    const current = await world.campaigns.get('spring');
    await world.campaigns.put(withoutGoal, world.clock.now(), current?.version);
    const ann = await aRecipient();

    expect(await recordCampaignGoals(deps, anOrder(ann.contactId, '2026-11-22T11:00:00.000Z'))).toEqual([]);
  });
});

describe('when no campaign measures a goal', () => {
  const lookups = () => {
    let asked = 0;
    const goals = {
      forContact: async (contactId: string) => {
        asked += 1;
        return world.campaignGoals.forContact(contactId);
      },
      reachGoal: (recipient: CampaignRecipient, at: string) => world.campaignGoals.reachGoal(recipient, at),
    };
    return { goals, asked: () => asked };
  };

  it('reads no contact’s campaigns once the last goal window has closed', async () => {
    const ann = await aRecipient();
    const spy = lookups();
    const closed = { ...deps, goals: spy.goals };
    world.clock.set('2026-12-30T00:00:00.000Z');
    const current = await world.campaigns.get('spring');
    // Sent on 22 November: a P7D window can stay open until the 29th at most.
    expect(current?.updatedAt).toBe('2026-11-22T12:00:00.000Z');

    expect(await recordCampaignGoals(closed, anOrder(ann.contactId, '2026-12-29T23:00:00.000Z'))).toEqual([]);
    expect(spy.asked()).toBe(0);
    // While it was open, the same lookup was made.
    world.clock.set('2026-11-23T00:00:00.000Z');
    await recordCampaignGoals(closed, anOrder(ann.contactId, '2026-11-22T13:00:00.000Z'));
    expect(spy.asked()).toBe(1);
  });

  it.each([
    ['a draft', 'draft', '2026-11-22T12:00:00.000Z', false],
    ['a sending campaign', 'sending', '2026-11-22T12:00:00.000Z', true],
    ['a paused campaign', 'paused', '2026-11-22T12:00:00.000Z', true],
    ['a campaign sent within its window', 'sent', '2026-11-29T12:00:00.000Z', true],
    ['a campaign sent longer ago than its window', 'sent', '2026-11-29T12:00:01.000Z', false],
    ['a cancelled campaign within its window', 'cancelled', '2026-11-25T00:00:00.000Z', true],
  ] as const)('says whether %s measures its goal', async (_name, status, now, expected) => {
    const current = await world.campaigns.get('spring');
    if (current === undefined) throw new Error('the campaign is saved');
    expect(measuresGoal({ ...current, status }, new Date(now))).toBe(expected);
  });
});

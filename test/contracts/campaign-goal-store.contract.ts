import { beforeEach, describe, expect, it } from 'vitest';
import { type CampaignRecipient, campaignMessageKey } from '../../lib/domain/campaign.js';
import type { Message } from '../../lib/domain/message.js';
import type { ContractStores, MakeStores } from './stores.js';

const contactId = '01JD3UD5E7F9G1H3J5K7M9N1P3';

const aControl = (overrides: Partial<CampaignRecipient> = {}): CampaignRecipient => ({
  campaignId: 'autumn',
  contactId,
  group: 'control',
  sendAt: '2026-11-20T10:00:00.000Z',
  ...overrides,
});

const aCampaignMessage = (campaignId: string, overrides: Partial<Message> = {}): Message => ({
  contactId,
  key: campaignMessageKey(campaignId),
  channel: 'email',
  kind: 'marketing',
  templateId: 'promo',
  campaignId,
  variant: 'a',
  status: 'queued',
  createdAt: '2026-11-20T10:00:05.000Z',
  attempts: 0,
  ...overrides,
});

/** The treatment member a campaign message stands for. */
const treatmentOf = (message: Message): CampaignRecipient => ({
  campaignId: message.campaignId ?? '',
  contactId: message.contactId,
  group: 'treatment',
  ...(message.variant === undefined ? {} : { variant: message.variant }),
  sendAt: message.createdAt,
});

/** CampaignGoalStore: a contact's campaigns (control records, campaign messages), and a goal marked once. */
export const campaignGoalStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('lists the contact’s control records and campaign messages of every campaign, and nobody else’s', async () => {
      const autumn = aControl();
      const spring = aCampaignMessage('spring');
      await stores.campaignAudience.addControl(autumn);
      await stores.outbox.enqueue(spring);
      // A deferred copy is the same member; a journey's message is no campaign's.
      await stores.outbox.enqueue({ ...spring, key: `${spring.key}~d1` });
      await stores.outbox.enqueue({
        ...spring,
        key: 'welcome#01',
        campaignId: undefined,
        variant: undefined,
      });
      await stores.outbox.enqueue({ ...spring, contactId: '01JD3UD5E7F9G1H3J5K7M9N1P4' });

      expect(await stores.campaignGoals.forContact(contactId)).toEqual([autumn, treatmentOf(spring)]);
      expect(await stores.campaignGoals.forContact('01JD3UD5E7F9G1H3J5K7M9N1P5')).toEqual([]);
    });

    it('marks a control member’s goal reached once: the first write says so, a second changes nothing', async () => {
      const recipient = aControl();
      await stores.campaignAudience.addControl(recipient);

      const first = await stores.campaignGoals.reachGoal(recipient, '2026-11-21T10:00:00.000Z');
      const second = await stores.campaignGoals.reachGoal(recipient, '2026-11-22T10:00:00.000Z');

      expect([first, second]).toEqual([true, false]);
      expect(await stores.campaignAudience.get('autumn', contactId)).toEqual({
        ...recipient,
        goalReachedAt: '2026-11-21T10:00:00.000Z',
      });
    });

    it('marks a treatment member’s goal once with a record of its own, which the list then shows', async () => {
      const message = aCampaignMessage('spring', { variant: 'b' });
      await stores.outbox.enqueue(message);
      const [member] = await stores.campaignGoals.forContact(contactId);
      if (member === undefined) throw new Error('the message stands for a member');

      expect(await stores.campaignGoals.reachGoal(member, '2026-11-21T10:00:00.000Z')).toBe(true);
      expect(await stores.campaignGoals.reachGoal(member, '2026-11-22T10:00:00.000Z')).toBe(false);
      const marked = { ...treatmentOf(message), goalReachedAt: '2026-11-21T10:00:00.000Z' };
      expect(await stores.campaignGoals.forContact(contactId)).toEqual([marked]);
      expect(await stores.campaignAudience.get('spring', contactId)).toEqual(marked);
    });

    it('counts the conversion with the mark: the write that finds it marked counts nothing', async () => {
      const recipient = { ...aControl(), campaignId: 'counted' };
      await stores.campaignAudience.addControl(recipient);
      const counters = [
        { scope: 'campaign:counted', day: '2026-11-01', metric: 'converted:control', by: 1 },
        { scope: 'campaign:counted', day: '2026-11-21', metric: 'goal-revenue-minor:control', by: 4200 },
      ];

      const outcomes = await Promise.all([
        stores.campaignGoals.reachGoal(recipient, '2026-11-21T10:00:00.000Z', counters),
        stores.campaignGoals.reachGoal(recipient, '2026-11-21T10:00:01.000Z', counters),
      ]);

      expect(outcomes.sort()).toEqual([false, true]);
      expect(await stores.stats.read('campaign:counted', '2026-11-01')).toEqual({ 'converted:control': 1 });
      expect(await stores.stats.read('campaign:counted', '2026-11-21')).toEqual({
        'goal-revenue-minor:control': 4200,
      });
    });

    it('leaves a damaged record out of the list instead of failing the contact’s events', async () => {
      const recipient = aControl();
      await stores.campaignAudience.addControl(recipient);
      await stores.table.put({
        PK: `C#${contactId}`,
        SK: 'CAMPAIGN#broken',
        type: 'campaign-recipient',
        campaignId: 'broken',
        sendAt: 'not a time',
      });

      expect(await stores.campaignGoals.forContact(contactId)).toEqual([recipient]);
    });
  });

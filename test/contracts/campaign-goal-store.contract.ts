import { beforeEach, describe, expect, it } from 'vitest';
import type { CampaignRecipient } from '../../lib/domain/campaign.js';
import type { ContractStores, MakeStores } from './stores.js';

const aRecipient = (overrides: Partial<CampaignRecipient> = {}): CampaignRecipient => ({
  campaignId: 'spring',
  contactId: '01JD3UD5E7F9G1H3J5K7M9N1P3',
  group: 'treatment',
  variant: 'a',
  held: false,
  sendAt: '2026-11-20T10:00:00.000Z',
  frozenAt: '2026-11-20T09:00:00.000Z',
  ...overrides,
});

/** CampaignGoalStore: a contact's recipient records, every campaign's, and a goal marked once. */
export const campaignGoalStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('lists the contact’s recipient records of every campaign, and nobody else’s', async () => {
      const spring = aRecipient();
      const autumn = aRecipient({ campaignId: 'autumn', group: 'control', variant: undefined });
      await stores.campaignRecipients.add(spring);
      await stores.campaignRecipients.add(autumn);
      await stores.campaignRecipients.add(aRecipient({ contactId: '01JD3UD5E7F9G1H3J5K7M9N1P4' }));

      expect(await stores.campaignGoals.forContact(spring.contactId)).toEqual([autumn, spring]);
      expect(await stores.campaignGoals.forContact('01JD3UD5E7F9G1H3J5K7M9N1P5')).toEqual([]);
    });

    it('marks a goal reached once: the first write says so, a second changes nothing', async () => {
      const recipient = aRecipient();
      await stores.campaignRecipients.add(recipient);

      const first = await stores.campaignGoals.reachGoal(
        'spring',
        recipient.contactId,
        '2026-11-21T10:00:00.000Z',
      );
      const second = await stores.campaignGoals.reachGoal(
        'spring',
        recipient.contactId,
        '2026-11-22T10:00:00.000Z',
      );

      expect([first, second]).toEqual([true, false]);
      expect(await stores.campaignRecipients.get('spring', recipient.contactId)).toEqual({
        ...recipient,
        goalReachedAt: '2026-11-21T10:00:00.000Z',
      });
    });

    it('marks nothing for a contact who is not a recipient, and creates no record', async () => {
      expect(
        await stores.campaignGoals.reachGoal(
          'spring',
          '01JD3UD5E7F9G1H3J5K7M9N1P3',
          '2026-11-21T10:00:00.000Z',
        ),
      ).toBe(false);
      expect(await stores.campaignGoals.forContact('01JD3UD5E7F9G1H3J5K7M9N1P3')).toEqual([]);
    });

    it('leaves a damaged record out of the list instead of failing the contact’s events', async () => {
      const recipient = aRecipient();
      await stores.campaignRecipients.add(recipient);
      await stores.table.put({
        PK: `C#${recipient.contactId}`,
        SK: 'CAMPAIGN#broken',
        type: 'campaign-recipient',
        campaignId: 'broken',
        sendAt: 'not a time',
      });

      expect(await stores.campaignGoals.forContact(recipient.contactId)).toEqual([recipient]);
    });
  });

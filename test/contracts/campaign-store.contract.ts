import { beforeEach, describe, expect, it } from 'vitest';
import type { CampaignDefinition, CampaignRecipient } from '../../lib/domain/campaign.js';
import { ConcurrentUpdateError, ConflictError } from '../../lib/domain/errors.js';
import type { ContractStores, MakeStores } from './stores.js';

const created = new Date('2026-11-20T09:00:00.000Z');
const later = new Date('2026-11-21T09:00:00.000Z');

const aCampaign = (overrides: Partial<CampaignDefinition> = {}): CampaignDefinition => ({
  id: 'winter-sale',
  name: 'Winter sale',
  audience: { segmentId: 'gold', topic: 'offers' },
  channel: { kind: 'email', templateId: 'promo' },
  schedule: { kind: 'local', date: '2026-12-05', time: '10:00' },
  holdout: 10,
  variants: [
    { id: 'a', weight: 1, subject: 'A' },
    { id: 'b', weight: 2, subject: 'B' },
  ],
  ...overrides,
});

const aRecipient = (contactId: string, overrides: Partial<CampaignRecipient> = {}): CampaignRecipient => ({
  campaignId: 'winter-sale',
  contactId,
  group: 'treatment',
  variant: 'a',
  held: false,
  sendAt: '2026-12-05T09:00:00.000Z',
  frozenAt: created.toISOString(),
  ...overrides,
});

/** CampaignStore and CampaignRecipientStore: versions guard every write; a recipient is written once. */
export const campaignStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('creates a campaign as a draft at version 1 and reads it back as saved', async () => {
      const saved = await stores.campaigns.put(aCampaign(), created);
      expect(saved).toEqual({
        definition: aCampaign(),
        status: 'draft',
        createdAt: created.toISOString(),
        updatedAt: created.toISOString(),
        version: 1,
      });
      expect(await stores.campaigns.get('winter-sale')).toEqual(saved);
      expect(await stores.campaigns.get('none')).toBeUndefined();
      expect(await stores.campaigns.list()).toEqual([saved]);
    });

    it('refuses to create one that exists, and to replace one over an old version', async () => {
      await stores.campaigns.put(aCampaign(), created);
      await expect(stores.campaigns.put(aCampaign(), later)).rejects.toBeInstanceOf(ConflictError);
      const replaced = await stores.campaigns.put(aCampaign({ name: 'Sale' }), later, 1);
      expect(replaced).toMatchObject({
        version: 2,
        createdAt: created.toISOString(),
        definition: { name: 'Sale' },
      });
      await expect(stores.campaigns.put(aCampaign(), later, 1)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    });

    it('applies lifecycle steps over the version, and removes pausedFrom on a resume', async () => {
      await stores.campaigns.put(aCampaign(), created);
      const launched = await stores.campaigns.update(
        'winter-sale',
        { status: 'scheduled', launchedAt: later.toISOString() },
        later,
        1,
      );
      expect(launched).toMatchObject({ status: 'scheduled', launchedAt: later.toISOString(), version: 2 });
      const paused = await stores.campaigns.update(
        'winter-sale',
        { status: 'paused', pausedFrom: 'scheduled' },
        later,
        2,
      );
      expect(paused.pausedFrom).toBe('scheduled');
      await expect(
        stores.campaigns.update('winter-sale', { status: 'cancelled' }, later, 2),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      const resumed = await stores.campaigns.update(
        'winter-sale',
        { status: 'scheduled', pausedFrom: null, winner: 'b' },
        later,
        3,
      );
      expect(await stores.campaigns.get('winter-sale')).toEqual(resumed);
      expect(resumed).not.toHaveProperty('pausedFrom');
      expect(resumed).toMatchObject({ winner: 'b', launchedAt: later.toISOString(), version: 4 });
    });

    it('adds a recipient once: a second add keeps the first', async () => {
      expect(await stores.campaignRecipients.add(aRecipient('c1'))).toBe(true);
      expect(await stores.campaignRecipients.add(aRecipient('c1', { variant: 'b' }))).toBe(false);
      expect(await stores.campaignRecipients.get('winter-sale', 'c1')).toEqual(aRecipient('c1'));
      expect(await stores.campaignRecipients.get('winter-sale', 'c2')).toBeUndefined();
    });

    const listed = async (campaignId: string): Promise<string[]> => {
      const seen: string[] = [];
      let cursor: { shard: number; after?: Record<string, string> } | undefined = { shard: 0 };
      while (cursor !== undefined) {
        const page = await stores.campaignRecipients.page(campaignId, cursor, 4);
        seen.push(...page.items.map((recipient) => recipient.contactId));
        cursor = page.next;
      }
      return seen.sort();
    };

    it('pages every held recipient of a campaign across the index shards, and no other campaign’s', async () => {
      const ids = Array.from({ length: 25 }, (_, index) => `contact-${String(index).padStart(2, '0')}`);
      for (const id of ids)
        await stores.campaignRecipients.add(aRecipient(id, { held: true, variant: undefined }));
      await stores.campaignRecipients.add(aRecipient('other', { campaignId: 'spring', held: true }));
      expect(await listed('winter-sale')).toEqual(ids);
    });

    it('lists only the recipients the A/B winner walks: held ones, still listed once released', async () => {
      await stores.campaignRecipients.add(aRecipient('queued'));
      await stores.campaignRecipients.add(aRecipient('control', { group: 'control', variant: undefined }));
      await stores.campaignRecipients.add(aRecipient('held', { held: true, variant: undefined }));
      await stores.campaignRecipients.add(aRecipient('released', { held: true, variant: undefined }));
      await stores.campaignRecipients.release('winter-sale', 'released', 'b', '2026-12-06T09:00:00.000Z');

      expect(await listed('winter-sale')).toEqual(['held', 'released']);
      // Unlisted, each is still there by its key.
      expect(await stores.campaignRecipients.get('winter-sale', 'queued')).toEqual(aRecipient('queued'));
    });

    it('releases a held recipient once, with the winner and its slot', async () => {
      await stores.campaignRecipients.add(aRecipient('c1', { held: true, variant: undefined }));
      const { variant: _none, ...held } = aRecipient('c1', { held: true });
      expect(await stores.campaignRecipients.get('winter-sale', 'c1')).toEqual(held);
      expect(
        await stores.campaignRecipients.release('winter-sale', 'c1', 'b', '2026-12-06T09:00:00.000Z'),
      ).toBe(true);
      expect(
        await stores.campaignRecipients.release('winter-sale', 'c1', 'a', '2026-12-07T09:00:00.000Z'),
      ).toBe(false);
      expect(await stores.campaignRecipients.get('winter-sale', 'c1')).toEqual(
        aRecipient('c1', { variant: 'b', sendAt: '2026-12-06T09:00:00.000Z' }),
      );
      expect(await stores.campaignRecipients.release('winter-sale', 'nobody', 'b', later.toISOString())).toBe(
        false,
      );
    });
  });

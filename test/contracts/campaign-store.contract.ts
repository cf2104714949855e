import { beforeEach, describe, expect, it } from 'vitest';
import type {
  CampaignAudienceChunk,
  CampaignDefinition,
  CampaignRecipient,
} from '../../lib/domain/campaign.js';
import { ConcurrentUpdateError, ConflictError } from '../../lib/domain/errors.js';
import type { JobCursor } from '../../lib/domain/journey-job.js';
import type { Page } from '../../lib/ports/page.js';
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

const aControl = (contactId: string, overrides: Partial<CampaignRecipient> = {}): CampaignRecipient => ({
  campaignId: 'winter-sale',
  contactId,
  group: 'control',
  sendAt: '2026-12-05T09:00:00.000Z',
  ...overrides,
});

const aChunk = (id: string, start: string, contactIds: string[]): CampaignAudienceChunk => ({
  campaignId: 'winter-sale',
  start,
  id,
  contactIds,
});

/** CampaignStore and CampaignAudienceStore: versions guard every write; chunks and control records are written once. */
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

    it('keeps a control member’s record once: a second add keeps the first', async () => {
      expect(await stores.campaignAudience.addControl(aControl('c1'))).toBe(true);
      expect(
        await stores.campaignAudience.addControl(aControl('c1', { sendAt: '2026-12-06T09:00:00.000Z' })),
      ).toBe(false);
      expect(await stores.campaignAudience.get('winter-sale', 'c1')).toEqual(aControl('c1'));
      expect(await stores.campaignAudience.get('winter-sale', 'c2')).toBeUndefined();
    });

    const chunksOf = async (campaignId: string, limit: number): Promise<CampaignAudienceChunk[]> => {
      const seen: CampaignAudienceChunk[] = [];
      let cursor: JobCursor | undefined = { shard: 0 };
      while (cursor !== undefined) {
        const page: Page<CampaignAudienceChunk> = await stores.campaignAudience.chunks(
          campaignId,
          cursor,
          limit,
        );
        seen.push(...page.items);
        cursor = page.next;
      }
      return seen;
    };

    it('reads the chunks in sending order, by start and then page, and no other campaign’s', async () => {
      const tokyo = aChunk('p2', '2026-12-05T01:00:00.000Z', ['t1', 't2']);
      const berlinFirst = aChunk('p1', '2026-12-05T09:00:00.000Z', ['b1']);
      const berlinNext = aChunk('p2', '2026-12-05T09:00:00.000Z', ['b2', 'b3']);
      for (const chunk of [berlinNext, tokyo, berlinFirst])
        expect(await stores.campaignAudience.addChunk(chunk)).toBe(true);
      await stores.campaignAudience.addChunk({ ...tokyo, campaignId: 'spring' });

      expect(await chunksOf('winter-sale', 1)).toEqual([tokyo, berlinFirst, berlinNext]);
      expect(await chunksOf('winter-sale', 10)).toEqual([tokyo, berlinFirst, berlinNext]);
      expect(await chunksOf('autumn', 1)).toEqual([]);
    });

    it('keeps the first chunk a page wrote for a start: a page done again finds it', async () => {
      const chunk = aChunk('p1', '2026-12-05T09:00:00.000Z', ['a', 'b']);
      expect(await stores.campaignAudience.addChunk(chunk)).toBe(true);
      expect(await stores.campaignAudience.addChunk({ ...chunk, contactIds: ['a'] })).toBe(false);
      expect(await chunksOf('winter-sale', 5)).toEqual([chunk]);
    });

    it('goes on after the cursor of a page read before more chunks were added', async () => {
      await stores.campaignAudience.addChunk(aChunk('p1', '2026-12-05T09:00:00.000Z', ['a']));
      const first = await stores.campaignAudience.chunks('winter-sale', { shard: 0 }, 1);
      await stores.campaignAudience.addChunk(aChunk('p2', '2026-12-05T09:00:00.000Z', ['b']));
      if (first.next === undefined) throw new Error('a page stopped by its limit has a cursor');
      const second = await stores.campaignAudience.chunks('winter-sale', first.next, 1);
      expect(second.items.map((chunk) => chunk.contactIds)).toEqual([['b']]);
    });
  });

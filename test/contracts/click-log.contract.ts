import { beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

/** ClickLog: a click is recorded once, and read back from a moment on. */
export const clickLogContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    it('keeps each click once, however often it is reported, and finds those at or after a moment', async () => {
      const contactId = newId();
      const early = {
        messageId: 'welcome#1#intro#1',
        journeyId: 'welcome',
        clickedAt: '2026-11-01T09:00:00.000Z',
      };
      const late = {
        messageId: 'offer#2#pitch#1',
        journeyId: 'offer',
        nodeId: 'pitch',
        templateId: 'offer-mail',
        clickedAt: '2026-11-03T09:00:00.000Z',
      };
      await stores.clicks.record(contactId, early, 1_800_000_000);
      await stores.clicks.record(contactId, late, 1_800_000_000);
      await stores.clicks.record(contactId, late, 1_800_000_000);
      await stores.clicks.record(newId(), { ...late, messageId: 'someone-else' }, 1_800_000_000);

      expect(await stores.clicks.since(contactId, '2026-11-01T09:00:00.000Z')).toEqual([early, late]);
      expect(await stores.clicks.since(contactId, '2026-11-02T00:00:00.000Z')).toEqual([late]);
      expect(await stores.clicks.since(contactId, '2026-11-04T00:00:00.000Z')).toEqual([]);
    });
  });

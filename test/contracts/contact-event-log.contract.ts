import { beforeAll, describe, expect, it } from 'vitest';
import type { ContactEvent } from '../../lib/domain/contact-event.js';
import { newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

/** ContactEventLog: an event is written once; the second write of the same id says so and changes nothing. */
export const contactEventLogContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    it('writes an event once and answers false for it again, keeping the first', async () => {
      const contactId = newId();
      const event: ContactEvent = {
        id: `launch-${newId()}`,
        contactId,
        type: 'product_published',
        at: '2026-11-02T10:00:00.000Z',
        data: { sku: 'BOOK-1', categories: ['books'] },
      };

      expect(await stores.events.append(event)).toBe(true);
      expect(await stores.events.append({ ...event, at: '2026-11-03T10:00:00.000Z' })).toBe(false);

      expect(await stores.personalData.partition(contactId)).toEqual([{ group: 'events', item: event }]);
    });
  });

import { beforeAll, describe, expect, it } from 'vitest';
import { anEnrollment, anOutboundEvent, newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

/** OutboundEventStore: pending → published, once, as one conditional write. */
export const outboundEventStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    const emitted = async () => {
      const contactId = newId();
      const enrollment = anEnrollment(contactId);
      const event = anOutboundEvent(contactId, { enrollmentId: enrollment.id });
      await stores.enrollments.start(
        enrollment,
        { messages: [], timers: [], outboundEvents: [event] },
        { reentry: 'always', exclusive: false },
      );
      return event;
    };

    it('reads an emitted event as pending, marks it published once, and answers not-pending after', async () => {
      const event = await emitted();
      expect(await stores.outboundEvents.get(event.contactId, event.id)).toEqual(event);
      const publication = { publishedAt: new Date('2026-11-23T10:00:03.000Z'), providerEventId: 'bus-1' };

      expect(await stores.outboundEvents.markPublished(event.contactId, event.id, publication)).toBe(
        'marked',
      );
      expect(
        await stores.outboundEvents.markPublished(event.contactId, event.id, {
          ...publication,
          providerEventId: 'bus-2',
        }),
      ).toBe('not-pending');

      expect(await stores.outboundEvents.get(event.contactId, event.id)).toEqual({
        ...event,
        status: 'published',
        publishedAt: '2026-11-23T10:00:03.000Z',
        providerEventId: 'bus-1',
      });
    });

    it('answers undefined and not-pending for an event that is not there, creating nothing', async () => {
      const contactId = newId();
      expect(await stores.outboundEvents.get(contactId, 'vip#x#y#1')).toBeUndefined();
      expect(
        await stores.outboundEvents.markPublished(contactId, 'vip#x#y#1', {
          publishedAt: new Date(),
          providerEventId: 'bus-3',
        }),
      ).toBe('not-pending');
      expect(await stores.outboundEvents.get(contactId, 'vip#x#y#1')).toBeUndefined();
    });
  });

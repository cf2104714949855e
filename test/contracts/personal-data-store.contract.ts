import { beforeEach, describe, expect, it } from 'vitest';
import type { Click } from '../../lib/domain/attribution.js';
import type { ContactEvent } from '../../lib/domain/contact-event.js';
import type { ErasureRecord } from '../../lib/domain/erasure.js';
import { ConcurrentUpdateError } from '../../lib/domain/errors.js';
import type { Order } from '../../lib/domain/order.js';
import {
  aConsentEntry,
  aContact,
  aMessage,
  anEnrollment,
  anOutboundEvent,
  newId,
} from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const now = '2026-11-23T12:00:00.000Z';

/**
 * PersonalDataStore: a contact's partition read and removed as a whole. The
 * export is pinned item for item, so every store that writes under a contact
 * (profile, consent, events, enrollments and markers, messages, outbound events,
 * orders, clicks) writes the same item in every adapter.
 */
export const personalDataStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    /** One item of every kind under one contact, each written by the store that writes it in production. */
    const aPersonWithEverything = async () => {
      const contact = aContact({ email: `erin-${newId().toLowerCase()}@example.com`, phone: '+14255550142' });
      const requested = aConsentEntry(contact.id, { at: '2026-10-01T08:00:00.000Z' });
      const confirmation = aMessage(contact.id);
      await stores.contacts.create({ contact, consent: requested, messages: [confirmation] });
      await stores.contacts.claimPhone('+14255550142', contact.id);
      const confirmed = aConsentEntry(contact.id, { at: now, action: 'confirmed' });
      const signupConfirmed: ContactEvent = {
        id: newId(),
        contactId: contact.id,
        type: 'signup_confirmed',
        at: now,
        data: {},
      };
      await stores.contacts.update({
        contact: { ...contact, version: 2 },
        expectedVersion: 1,
        consent: [confirmed],
        events: [signupConfirmed],
        messages: [],
      });
      const enrollment = anEnrollment(contact.id, { enteredAt: now, updatedAt: now });
      const journeyMessage = aMessage(contact.id, {
        key: `welcome#${enrollment.id}#hello#1`,
        kind: 'marketing',
        journeyId: 'welcome',
        enrollmentId: enrollment.id,
        nodeId: 'hello',
      });
      const told = anOutboundEvent(contact.id, { enrollmentId: enrollment.id, createdAt: now });
      await stores.enrollments.start(
        enrollment,
        { messages: [journeyMessage], timers: [], outboundEvents: [told] },
        { reentry: 'never', exclusive: true },
      );
      const userId = `shop-${newId().toLowerCase()}`;
      const order: Order = {
        orderId: `order-${newId()}`,
        contactId: contact.id,
        at: now,
        revenue: 42,
        total: 42,
        currency: 'EUR',
        lines: [{ sku: 'INK-1', price: 42, quantity: 1 }],
        refunded: 0,
        source: { channel: 'api' },
      };
      const ordered: ContactEvent = {
        id: newId(),
        contactId: contact.id,
        type: 'order_completed',
        at: now,
        data: { orderId: order.orderId, total: 42 },
      };
      const updated = { ...contact, externalId: userId, version: 3 };
      await stores.ingestion.record({
        dedupe: [],
        profile: {
          kind: 'update',
          contact: updated,
          expectedVersion: 2,
          identities: [{ kind: 'user', value: userId }],
        },
        event: ordered,
        order,
      });
      const click: Click = { messageId: journeyMessage.key, journeyId: 'welcome', clickedAt: now };
      const clickExpires = Math.floor(Date.parse(now) / 1000) + 86_400;
      await stores.clicks.record(contact.id, click, clickExpires);
      // An item of a kind no code knows yet: the export and the erasure must not skip it.
      await stores.table.put({
        PK: `C#${contact.id}`,
        SK: 'NOTE#1',
        type: 'note',
        text: 'prefers phone calls',
      });
      return {
        contact: updated,
        userId,
        exported: [
          { group: 'markers', item: { type: 'active', enrollmentId: enrollment.id } },
          { group: 'clicks', item: { ...click, expiresAt: clickExpires } },
          { group: 'consentLog', item: requested },
          { group: 'consentLog', item: confirmed },
          { group: 'enrollments', item: { ...enrollment, holdsActiveMarker: true } },
          {
            group: 'markers',
            item: {
              type: 'entered',
              contactId: contact.id,
              journeyId: enrollment.journeyId,
              enrollmentId: enrollment.id,
              at: now,
            },
          },
          ...[signupConfirmed, ordered]
            .sort((a, b) => (a.id < b.id ? -1 : 1))
            .map((event) => ({ group: 'events', item: event })),
          ...[confirmation, journeyMessage]
            .sort((a, b) => (a.key < b.key ? -1 : 1))
            .map((message) => ({ group: 'messages', item: message })),
          { group: 'other', item: { sortKey: 'NOTE#1', type: 'note', text: 'prefers phone calls' } },
          { group: 'orders', item: order },
          { group: 'outboundEvents', item: told },
          { group: 'profile', item: updated },
        ],
      };
    };

    describe('the partition', () => {
      it('holds every item written for the contact, in key order, grouped, without the table keys', async () => {
        const person = await aPersonWithEverything();

        expect(await stores.personalData.partition(person.contact.id)).toEqual(person.exported);
      });

      it('is empty for an id that is no contact', async () => {
        expect(await stores.personalData.partition(newId())).toEqual([]);
        expect(await stores.personalData.profile(newId())).toBeUndefined();
      });
    });

    describe('the profile and the lookups', () => {
      it('names the identities and version, and knows whom each lookup points at', async () => {
        const person = await aPersonWithEverything();
        const { contact } = person;

        expect(await stores.personalData.profile(contact.id)).toEqual({
          id: contact.id,
          email: contact.email,
          phone: contact.phone,
          externalId: person.userId,
          version: 3,
        });
        expect(await stores.personalData.identityOwner('email', contact.email)).toBe(contact.id);
        expect(await stores.personalData.identityOwner('phone', '+14255550142')).toBe(contact.id);
        expect(await stores.personalData.identityOwner('user', person.userId)).toBe(contact.id);
        expect(await stores.personalData.identityOwner('email', 'nobody@example.com')).toBeUndefined();
      });

      it('releases a lookup only for the contact it points at', async () => {
        const { contact } = await aPersonWithEverything();

        expect(await stores.personalData.releaseIdentity('phone', '+14255550142', newId())).toBe(false);
        expect(await stores.personalData.identityOwner('phone', '+14255550142')).toBe(contact.id);
        expect(await stores.personalData.releaseIdentity('phone', '+14255550142', contact.id)).toBe(true);
        expect(await stores.personalData.identityOwner('phone', '+14255550142')).toBeUndefined();
        expect(await stores.personalData.releaseIdentity('phone', '+14255550142', contact.id)).toBe(false);
      });
    });

    describe('sweeping the partition', () => {
      it('deletes every item under the contact, whatever its kind, counted by group, and nothing else', async () => {
        const person = await aPersonWithEverything();
        const other = aContact();
        await stores.contacts.create({ contact: other, consent: aConsentEntry(other.id), messages: [] });

        expect(await stores.personalData.deletePartition(person.contact.id)).toEqual({
          profile: 1,
          consentLog: 2,
          events: 2,
          enrollments: 1,
          markers: 2,
          messages: 2,
          outboundEvents: 1,
          orders: 1,
          clicks: 1,
          other: 1,
        });
        expect(await stores.personalData.partition(person.contact.id)).toEqual([]);
        expect(await stores.contacts.get(other.id)).toEqual(other);
        expect(await stores.personalData.deletePartition(person.contact.id)).toEqual({});
      });

      it('goes on past one page of the sweep', async () => {
        const contact = aContact();
        const messages = Array.from({ length: 130 }, (_, index) =>
          aMessage(contact.id, { key: `bulk#${String(index).padStart(3, '0')}` }),
        );
        await stores.contacts.create({
          contact,
          consent: aConsentEntry(contact.id),
          messages: messages.slice(0, 90),
        });
        await stores.contacts.update({
          contact: { ...contact, version: 2 },
          expectedVersion: 1,
          consent: [],
          events: [],
          messages: messages.slice(90),
        });

        expect(await stores.personalData.deletePartition(contact.id)).toEqual({
          profile: 1,
          consentLog: 1,
          messages: 130,
        });
        expect(await stores.personalData.partition(contact.id)).toEqual([]);
      });
    });

    describe('the erasure record', () => {
      const record = (contactId: string, overrides: Partial<ErasureRecord> = {}): ErasureRecord => ({
        contactId,
        status: 'erasing',
        requestedAt: now,
        removed: { profile: 1 },
        suppressedByHash: [],
        ...overrides,
      });

      it('is written with the profile’s deletion, only over the version that was read', async () => {
        const { contact } = await aPersonWithEverything();

        await expect(stores.personalData.beginErasure(record(contact.id), 2)).rejects.toBeInstanceOf(
          ConcurrentUpdateError,
        );
        expect(await stores.personalData.erasure(contact.id)).toBeUndefined();
        expect(await stores.personalData.profile(contact.id)).toBeDefined();

        await stores.personalData.beginErasure(record(contact.id), 3);
        expect(await stores.personalData.erasure(contact.id)).toEqual(record(contact.id));
        expect(await stores.personalData.profile(contact.id)).toBeUndefined();
        await expect(stores.personalData.beginErasure(record(contact.id), 3)).rejects.toBeInstanceOf(
          ConcurrentUpdateError,
        );
      });

      it('is finished once: a later finish answers the record as the first stored it', async () => {
        const { contact } = await aPersonWithEverything();
        await stores.personalData.beginErasure(record(contact.id), 3);
        const finished = record(contact.id, {
          status: 'erased',
          erasedAt: now,
          removed: { profile: 1, events: 2 },
        });

        expect(await stores.personalData.finishErasure(finished)).toEqual(finished);
        expect(
          await stores.personalData.finishErasure({ ...finished, erasedAt: '2026-12-01T00:00:00.000Z' }),
        ).toEqual(finished);
        expect(await stores.personalData.erasure(contact.id)).toEqual(finished);
      });
    });
  });

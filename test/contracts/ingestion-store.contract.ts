import { beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../lib/domain/contact.js';
import type { ContactEvent } from '../../lib/domain/contact-event.js';
import { ConcurrentUpdateError } from '../../lib/domain/errors.js';
import type { Order } from '../../lib/domain/order.js';
import type { IngestionWrite } from '../../lib/ports/ingestion-store.js';
import { aContact, newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const at = '2026-11-20T10:00:00.000Z';

const aCustomer = (overrides: Partial<Contact> = {}): Contact =>
  aContact({
    consent: { email: { status: 'none', changedAt: at }, sms: { status: 'none', changedAt: at } },
    pendingTopics: [],
    ...overrides,
  });

const anEvent = (contactId: string, overrides: Partial<ContactEvent> = {}): ContactEvent => ({
  id: newId(),
  contactId,
  type: 'order_completed',
  at,
  data: {},
  ...overrides,
});

const anOrder = (contactId: string, overrides: Partial<Order> = {}): Order => ({
  orderId: `order-${newId()}`,
  contactId,
  at,
  revenue: 40,
  total: 40,
  currency: 'EUR',
  lines: [{ sku: 'BOOK-1', price: 40, quantity: 1 }],
  refunded: 0,
  source: { channel: 'api' },
  ...overrides,
});

const mark = (kind: 'message' | 'order', id: string) => ({ kind, id, expiresAt: 1_900_000_000 });

/** IngestionStore: one call, one transaction; a seen message or order id makes it a duplicate. */
export const ingestionStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    const newCustomer = async (): Promise<{ contact: Contact; userId: string }> => {
      const contact = aCustomer({ email: `${newId().toLowerCase()}@example.com` });
      const userId = `shop-${newId()}`;
      await stores.ingestion.record({
        dedupe: [mark('message', newId())],
        profile: {
          kind: 'new',
          contact,
          identities: [
            { kind: 'email', value: contact.email },
            { kind: 'user', value: userId },
          ],
        },
        event: anEvent(contact.id, { type: 'contact_updated' }),
      });
      return { contact, userId };
    };
    const eventsOf = async (contactId: string) =>
      (await stores.personalData.partition(contactId)).filter((item) => item.group === 'events');

    describe('when a call is about someone new', () => {
      it('stores the profile, the identities and the event together', async () => {
        const { contact, userId } = await newCustomer();

        expect(await stores.contacts.get(contact.id)).toEqual(contact);
        expect(await stores.ingestion.resolve({ kind: 'email', value: contact.email })).toBe(contact.id);
        expect(await stores.ingestion.resolve({ kind: 'user', value: userId })).toBe(contact.id);
        expect(await eventsOf(contact.id)).toHaveLength(1);
        expect(await stores.ingestion.resolve({ kind: 'user', value: 'nobody' })).toBeUndefined();
      });
    });

    describe('when an order is recorded', () => {
      it('stores the order with the updated profile and its event, and reads the order back', async () => {
        const { contact } = await newCustomer();
        const order = anOrder(contact.id);
        const updated = { ...contact, version: contact.version + 1, updatedAt: at };

        expect(
          await stores.ingestion.record({
            dedupe: [mark('message', newId()), mark('order', order.orderId)],
            profile: { kind: 'update', contact: updated, expectedVersion: contact.version, identities: [] },
            event: anEvent(contact.id),
            order,
          }),
        ).toBe('stored');

        expect(await stores.ingestion.order(contact.id, order.orderId)).toEqual(order);
        expect(await stores.contacts.get(contact.id)).toEqual(updated);
        expect(await stores.ingestion.order(contact.id, 'no-such-order')).toBeUndefined();
      });
    });

    describe('when a call was seen before', () => {
      it('answers duplicate for a seen message id, and writes nothing of the call', async () => {
        const { contact } = await newCustomer();
        const messageId = newId();
        const first = anEvent(contact.id, { type: 'track' });
        await stores.ingestion.record({
          dedupe: [mark('message', messageId)],
          profile: { kind: 'unchanged', contactId: contact.id, readVersion: contact.version },
          event: first,
        });

        const again: IngestionWrite = {
          dedupe: [mark('message', messageId)],
          profile: { kind: 'unchanged', contactId: contact.id, readVersion: contact.version },
          event: anEvent(contact.id, { type: 'track' }),
        };
        expect(await stores.ingestion.record(again)).toBe('duplicate');
        expect((await eventsOf(contact.id)).map((item) => item.item.id)).not.toContain(again.event.id);
      });

      it('answers duplicate for an order stored before, even once its dedupe mark is gone', async () => {
        const { contact } = await newCustomer();
        const order = anOrder(contact.id);
        await stores.ingestion.record({
          dedupe: [mark('order', order.orderId)],
          profile: { kind: 'unchanged', contactId: contact.id, readVersion: contact.version },
          event: anEvent(contact.id),
          order,
        });

        expect(
          await stores.ingestion.record({
            dedupe: [mark('message', newId())],
            profile: { kind: 'unchanged', contactId: contact.id, readVersion: contact.version },
            event: anEvent(contact.id),
            order: { ...order, total: 99 },
          }),
        ).toBe('duplicate');
        expect(await stores.ingestion.order(contact.id, order.orderId)).toEqual(order);
      });
    });

    describe('when an attributed order is sent twice', () => {
      it('counts its sales with the order that was stored, and nothing for the copy', async () => {
        const { contact } = await newCustomer();
        const order = anOrder(contact.id);
        const sold = [
          { scope: 'journey:winback', day: '2026-11-20', metric: 'attributed:orders', by: 1 },
          { scope: 'journey:winback', day: '2026-11-20', metric: 'attributed:revenue-minor', by: 4000 },
        ];
        const call = (): IngestionWrite => ({
          dedupe: [mark('message', `msg-${order.orderId}`), mark('order', order.orderId)],
          profile: { kind: 'unchanged', contactId: contact.id, readVersion: contact.version },
          event: anEvent(contact.id),
          order,
          counters: sold,
        });

        const outcomes = await Promise.allSettled([
          stores.ingestion.record(call()),
          stores.ingestion.record(call()),
        ]);
        expect(await stores.ingestion.record(call())).toBe('duplicate');

        expect(
          outcomes.filter((outcome) => outcome.status === 'fulfilled' && outcome.value === 'stored'),
        ).toHaveLength(1);
        expect(await stores.stats.read('journey:winback', '2026-11-20')).toEqual({
          'attributed:orders': 1,
          'attributed:revenue-minor': 4000,
        });
      });
    });

    describe('reading a batch ahead', () => {
      it('resolves many identities at once, in the order asked, unknown ones to nothing', async () => {
        const first = await newCustomer();
        const second = await newCustomer();

        expect(
          await stores.ingestion.resolveMany([
            { kind: 'user', value: second.userId },
            { kind: 'email', value: first.contact.email },
            { kind: 'user', value: `nobody-${newId()}` },
            { kind: 'email', value: second.contact.email },
            { kind: 'user', value: second.userId },
          ]),
        ).toEqual([second.contact.id, first.contact.id, undefined, second.contact.id, second.contact.id]);
        expect(await stores.ingestion.resolveMany([])).toEqual([]);
      });

      it('resolves more identities than one bulk request holds', async () => {
        const customers = await Promise.all(Array.from({ length: 60 }, () => newCustomer()));
        const claims = customers.flatMap(({ contact, userId }) => [
          { kind: 'user' as const, value: userId },
          { kind: 'email' as const, value: contact.email },
        ]);

        expect(await stores.ingestion.resolveMany(claims)).toEqual(
          customers.flatMap(({ contact }) => [contact.id, contact.id]),
        );
      });

      it('tells which dedupe marks are stored, in the order asked', async () => {
        const { contact } = await newCustomer();
        const messageId = newId();
        const order = anOrder(contact.id);
        await stores.ingestion.record({
          dedupe: [mark('message', messageId), mark('order', order.orderId)],
          profile: { kind: 'unchanged', contactId: contact.id, readVersion: contact.version },
          event: anEvent(contact.id),
          order,
        });

        expect(
          await stores.ingestion.marked([
            { kind: 'order', id: order.orderId },
            { kind: 'message', id: newId() },
            { kind: 'message', id: messageId },
            // The same id under the other kind is another mark.
            { kind: 'order', id: messageId },
          ]),
        ).toEqual([true, false, true, false]);
        expect(await stores.ingestion.marked([])).toEqual([]);
      });
    });

    describe('when the profile changed since it was read', () => {
      it('fails with ConcurrentUpdateError, writing nothing', async () => {
        const { contact } = await newCustomer();
        const event = anEvent(contact.id, { type: 'contact_updated' });

        await expect(
          stores.ingestion.record({
            dedupe: [mark('message', newId())],
            profile: {
              kind: 'update',
              contact: { ...contact, name: 'Stale', version: contact.version + 1 },
              expectedVersion: contact.version - 1 + 5,
              identities: [],
            },
            event,
          }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.contacts.get(contact.id)).toEqual(contact);
        expect((await eventsOf(contact.id)).map((item) => item.item.id)).not.toContain(event.id);
      });

      it('fails an unchanged profile that is gone (erased) the same way', async () => {
        const contactId = newId();
        await expect(
          stores.ingestion.record({
            dedupe: [],
            profile: { kind: 'unchanged', contactId, readVersion: 1 },
            event: anEvent(contactId, { type: 'track' }),
          }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.personalData.partition(contactId)).toEqual([]);
      });
    });

    describe('identities', () => {
      it('refuses to take an identity another contact holds, and takes over one left pointing at no one', async () => {
        const { contact: holder, userId } = await newCustomer();
        const newcomer = aCustomer();

        await expect(
          stores.ingestion.record({
            dedupe: [],
            profile: { kind: 'new', contact: newcomer, identities: [{ kind: 'user', value: userId }] },
            event: anEvent(newcomer.id, { type: 'contact_updated' }),
          }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.contacts.get(newcomer.id)).toBeUndefined();

        expect(
          await stores.ingestion.record({
            dedupe: [],
            profile: {
              kind: 'new',
              contact: newcomer,
              identities: [{ kind: 'user', value: userId, replaces: holder.id }],
            },
            event: anEvent(newcomer.id, { type: 'contact_updated' }),
          }),
        ).toBe('stored');
        expect(await stores.ingestion.resolve({ kind: 'user', value: userId })).toBe(newcomer.id);
      });
    });

    describe('refunds', () => {
      it('moves the refunded total only from the total that was read', async () => {
        const { contact } = await newCustomer();
        const order = anOrder(contact.id);
        await stores.ingestion.record({
          dedupe: [],
          profile: { kind: 'unchanged', contactId: contact.id, readVersion: contact.version },
          event: anEvent(contact.id),
          order,
        });
        const refund = (before: number, after: number): IngestionWrite => ({
          dedupe: [mark('message', newId())],
          profile: { kind: 'unchanged', contactId: contact.id, readVersion: contact.version },
          event: anEvent(contact.id, { type: 'order_refunded' }),
          refund: { orderId: order.orderId, refundedBefore: before, refundedAfter: after },
        });

        expect(await stores.ingestion.record(refund(0, 10))).toBe('stored');
        await expect(stores.ingestion.record(refund(0, 15))).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.ingestion.record(refund(10, 40))).toBe('stored');
        expect(await stores.ingestion.order(contact.id, order.orderId)).toMatchObject({ refunded: 40 });
        await expect(
          stores.ingestion.record({
            ...refund(0, 5),
            refund: { orderId: 'never-received', refundedBefore: 0, refundedAfter: 5 },
          }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      });
    });
  });

import { beforeAll, describe, expect, it } from 'vitest';
import type { ContactListPosition } from '../../lib/domain/contact-listing.js';
import { ConcurrentUpdateError, ContactExistsError } from '../../lib/domain/errors.js';
import type { JobCursor } from '../../lib/domain/journey-job.js';
import { aConsentEntry, aContact, aMessage, newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

/** ContactStore and PhoneDirectory: what every adapter must do. */
export const contactStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    describe('when a contact is created', () => {
      it('stores the profile, the email identity, the consent entry and the messages together', async () => {
        const contact = aContact({ email: 'Ada.Lovelace@Example.com' });
        const consent = aConsentEntry(contact.id);
        const message = aMessage(contact.id);

        await stores.contacts.create({ contact, consent, messages: [message] });

        expect(await stores.contacts.get(contact.id)).toEqual(contact);
        expect(await stores.contacts.findIdByEmail('  ada.lovelace@EXAMPLE.com ')).toBe(contact.id);
        expect(await stores.contacts.consentLog(contact.id)).toEqual([consent]);
        expect(await stores.outbox.get(contact.id, message.key)).toEqual(message);
      });

      it('stores the consent entries for other channels with it', async () => {
        const contact = aContact({ phone: '+14255550100' });
        const email = aConsentEntry(contact.id, { at: '2026-10-01T08:00:00.000Z' });
        const sms = aConsentEntry(contact.id, { at: '2026-10-01T08:00:00.001Z', channel: 'sms' });

        await stores.contacts.create({ contact, consent: email, additionalConsent: [sms], messages: [] });

        expect(await stores.contacts.consentLog(contact.id)).toEqual([email, sms]);
      });

      it('knows no contact for an address nobody used', async () => {
        expect(await stores.contacts.findIdByEmail('nobody@example.com')).toBeUndefined();
        expect(await stores.contacts.get(newId())).toBeUndefined();
      });

      it('hands back a copy: changing what it returned changes nothing stored', async () => {
        const contact = aContact();
        await stores.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });

        const read = await stores.contacts.get(contact.id);
        if (read === undefined) throw new Error('the contact was not stored');
        read.topics.push('mutated');
        read.attributes.mutated = true;
        contact.topics.push('mutated too');

        expect(await stores.contacts.get(contact.id)).toMatchObject({ topics: [], attributes: {} });
      });
    });

    describe('reading many contacts at once', () => {
      it('finds each stored contact by id and leaves out the ids nobody has', async () => {
        const ada = aContact();
        const grace = aContact();
        for (const contact of [ada, grace])
          await stores.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
        const nobody = newId();

        const found = await stores.contacts.getMany([ada.id, nobody, grace.id, ada.id]);

        expect([...found.keys()].sort()).toEqual([ada.id, grace.id].sort());
        expect(found.get(ada.id)).toEqual(ada);
        expect(found.get(grace.id)).toEqual(grace);
        expect(await stores.contacts.getMany([])).toEqual(new Map());
      });

      it('reads more contacts than one bulk request holds', async () => {
        const contacts = Array.from({ length: 130 }, () => aContact());
        await Promise.all(
          contacts.map((contact) =>
            stores.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] }),
          ),
        );

        const found = await stores.contacts.getMany(contacts.map((contact) => contact.id));

        expect(found.size).toBe(130);
        for (const contact of contacts) expect(found.get(contact.id)).toEqual(contact);
      });
    });

    describe('when a second contact claims an address already taken', () => {
      it('fails with ContactExistsError and writes none of its items', async () => {
        const first = aContact();
        await stores.contacts.create({ contact: first, consent: aConsentEntry(first.id), messages: [] });
        const second = aContact({ email: first.email.toUpperCase() });
        const message = aMessage(second.id);

        await expect(
          stores.contacts.create({ contact: second, consent: aConsentEntry(second.id), messages: [message] }),
        ).rejects.toBeInstanceOf(ContactExistsError);

        expect(await stores.contacts.get(second.id)).toBeUndefined();
        expect(await stores.contacts.consentLog(second.id)).toEqual([]);
        expect(await stores.outbox.get(second.id, message.key)).toBeUndefined();
        expect(await stores.contacts.findIdByEmail(first.email)).toBe(first.id);
      });
    });

    describe('when a contact is updated', () => {
      it('writes the new version with its consent entries, events and messages', async () => {
        const contact = aContact();
        const requested = aConsentEntry(contact.id, { at: '2026-10-01T08:00:00.000Z' });
        await stores.contacts.create({ contact, consent: requested, messages: [] });
        const confirmed = aConsentEntry(contact.id, { at: '2026-10-01T09:00:00.000Z', action: 'confirmed' });
        const changed = {
          ...contact,
          consent: { ...contact.consent, email: { status: 'subscribed' as const, changedAt: confirmed.at } },
          topics: ['newsletter'],
          pendingTopics: [],
          version: 2,
        };
        const welcome = aMessage(contact.id, { key: 'welcome#1', kind: 'marketing', templateId: 'welcome' });
        const event = {
          id: newId(),
          contactId: contact.id,
          type: 'signup_confirmed' as const,
          at: confirmed.at,
          data: {},
        };

        await stores.contacts.update({
          contact: changed,
          expectedVersion: 1,
          consent: [confirmed],
          events: [event],
          messages: [welcome],
        });

        expect(await stores.contacts.get(contact.id)).toEqual(changed);
        expect(await stores.contacts.consentLog(contact.id)).toEqual([requested, confirmed]);
        expect(await stores.outbox.get(contact.id, 'welcome#1')).toEqual(welcome);
        const events = (await stores.personalData.partition(contact.id)).filter(
          (item) => item.group === 'events',
        );
        expect(events.map((item) => item.item)).toEqual([event]);
      });

      it('rejects a write based on a stale version with ConcurrentUpdateError and keeps the stored one', async () => {
        const contact = aContact();
        await stores.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
        await stores.contacts.update({
          contact: { ...contact, name: 'First writer', version: 2 },
          expectedVersion: 1,
          consent: [],
          events: [],
          messages: [],
        });

        await expect(
          stores.contacts.update({
            contact: { ...contact, name: 'Second writer', version: 2 },
            expectedVersion: 1,
            consent: [aConsentEntry(contact.id, { action: 'confirmed' })],
            events: [],
            messages: [],
          }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);

        expect(await stores.contacts.get(contact.id)).toMatchObject({ name: 'First writer', version: 2 });
        expect(await stores.contacts.consentLog(contact.id)).toHaveLength(1);
      });

      it('rejects an update of a contact that is not there with ConcurrentUpdateError, writing nothing', async () => {
        const contact = aContact();
        const message = aMessage(contact.id);

        await expect(
          stores.contacts.update({
            contact: { ...contact, version: 2 },
            expectedVersion: 1,
            consent: [],
            events: [],
            messages: [message],
          }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.contacts.get(contact.id)).toBeUndefined();
        expect(await stores.outbox.get(contact.id, message.key)).toBeUndefined();
      });

      it('refuses a new state whose version is not the expected one plus one', async () => {
        const contact = aContact();
        await stores.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });

        await expect(
          stores.contacts.update({
            contact: { ...contact, version: 5 },
            expectedVersion: 1,
            consent: [],
            events: [],
            messages: [],
          }),
        ).rejects.toThrow(/version 2/);
      });
    });

    describe('the consent log', () => {
      it('lists entries oldest first, whatever order they were written in', async () => {
        const contact = aContact();
        const signup = aConsentEntry(contact.id, { at: '2026-10-01T08:00:00.000Z' });
        await stores.contacts.create({ contact, consent: signup, messages: [] });
        const unsubscribed = aConsentEntry(contact.id, {
          at: '2026-12-24T10:00:00.000Z',
          action: 'unsubscribed',
        });
        const confirmed = aConsentEntry(contact.id, { at: '2026-10-02T08:00:00.000Z', action: 'confirmed' });

        await stores.contacts.update({
          contact: { ...contact, version: 2 },
          expectedVersion: 1,
          consent: [unsubscribed, confirmed],
          events: [],
          messages: [],
        });

        expect((await stores.contacts.consentLog(contact.id)).map((entry) => entry.action)).toEqual([
          'requested',
          'confirmed',
          'unsubscribed',
        ]);
      });
    });

    describe('paging through every contact', () => {
      it('finds each contact exactly once, a page at a time, and then stops', async () => {
        const own = await make();
        const created = Array.from({ length: 23 }, () => aContact());
        for (const contact of created) {
          await own.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
        }

        const seen: string[] = [];
        let cursor: JobCursor | undefined = { shard: 0 };
        let pages = 0;
        while (cursor !== undefined) {
          const page = await own.contacts.page(cursor, 2);
          expect(page.items.length).toBeLessThanOrEqual(2);
          seen.push(...page.items.map((contact) => contact.id));
          cursor = page.next;
          pages += 1;
        }

        expect(seen.sort()).toEqual(created.map((contact) => contact.id).sort());
        expect(pages).toBeGreaterThan(12);
      });
    });

    describe('listing from a position a caller hands back', () => {
      const walk = async (own: ContractStores, limit: number) => {
        const seen: string[] = [];
        let position: ContactListPosition | undefined = { shard: 0 };
        while (position !== undefined) {
          const page = await own.contacts.listPage(position, limit);
          expect(page.contacts.length).toBeLessThanOrEqual(limit);
          seen.push(...page.contacts.map((contact) => contact.id));
          position = page.next;
        }
        return seen;
      };

      it('finds each contact exactly once, going on after the contact each position names', async () => {
        const own = await make();
        const created = Array.from({ length: 23 }, () => aContact());
        for (const contact of created) {
          await own.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
        }

        const seen = await walk(own, 3);

        expect(seen.sort()).toEqual(created.map((contact) => contact.id).sort());
      });

      it('goes on after a contact that is not there, from where its id would be', async () => {
        const own = await make();
        const created = Array.from({ length: 30 }, () => aContact());
        for (const contact of created) {
          await own.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
        }
        const inShard = async (shard: number) => {
          const ids: string[] = [];
          let position: ContactListPosition | undefined = { shard };
          while (position !== undefined && position.shard === shard) {
            const page = await own.contacts.listPage(position, 100);
            ids.push(...page.contacts.map((contact) => contact.id));
            position = page.next;
          }
          return ids;
        };
        const shard = (await Promise.all([0, 1, 2, 3].map(inShard))).findIndex((ids) => ids.length > 1);
        const ids = await inShard(shard);
        const first = ids[0] ?? '';

        // Just past the first id in key order, where no contact is.
        const page = await own.contacts.listPage({ shard, after: `${first}\u0000` }, 100);

        expect(page.contacts.map((contact) => contact.id)).toEqual(ids.slice(1));
      });

      it('answers no contacts and no position for a shard past the last', async () => {
        const own = await make();
        const contact = aContact();
        await own.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });

        expect(await own.contacts.listPage({ shard: 999, after: 'anything' }, 10)).toEqual({
          contacts: [],
          next: undefined,
        });
      });
    });

    describe('the phone directory', () => {
      it('points a number at the first contact to claim it, and keeps it there', async () => {
        const phone = `+1425555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
        const first = newId();
        const second = newId();

        expect(await stores.contacts.claimPhone(phone, first)).toBe(true);
        expect(await stores.contacts.claimPhone(phone, first)).toBe(true);
        expect(await stores.contacts.claimPhone(phone, second)).toBe(false);
        expect(await stores.contacts.findIdByPhone(phone)).toBe(first);
      });

      it('releases the number only for the contact it points at', async () => {
        const phone = `+1206555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
        const owner = newId();
        await stores.contacts.claimPhone(phone, owner);

        await stores.contacts.releasePhone(phone, newId());
        expect(await stores.contacts.findIdByPhone(phone)).toBe(owner);

        await stores.contacts.releasePhone(phone, owner);
        expect(await stores.contacts.findIdByPhone(phone)).toBeUndefined();
        await stores.contacts.releasePhone(phone, owner);
      });
    });
  });

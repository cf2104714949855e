import { beforeAll, describe, expect, it } from 'vitest';
import type { Enrollment } from '../../lib/domain/enrollment.js';
import { ConcurrentUpdateError } from '../../lib/domain/errors.js';
import type { JobCursor } from '../../lib/domain/journey-job.js';
import type { Timer } from '../../lib/domain/timer.js';
import { timerLocation } from '../../lib/ports/timer-store.js';
import {
  aConsentEntry,
  aContact,
  aMessage,
  anEnrollment,
  anOutboundEvent,
  newId,
} from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

const once = { reentry: 'never', exclusive: true } as const;
const always = { reentry: 'always', exclusive: false } as const;
const none = { messages: [], timers: [] };

const aTimer = (contactId: string, enrollmentId: string, dueAt: string): Timer => ({
  id: `welcome#${enrollmentId}#pause#1`,
  contactId,
  dueAt,
  journeyId: 'welcome',
  enrollmentId,
  nodeId: 'pause',
  visit: 1,
});

/** EnrollmentStore: each step one transaction with its effects, entry rules as markers. */
export const enrollmentStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeAll(async () => {
      stores = await make();
    });

    describe('when a contact starts a journey', () => {
      it('stores the enrollment with its first messages, timers and outbound events', async () => {
        const contactId = newId();
        const enrollment = anEnrollment(contactId, { enteredAt: '2030-01-01T09:00:00.000Z' });
        const hello = aMessage(contactId, { key: `${enrollment.id}#hello#1`, kind: 'marketing' });
        const timer = aTimer(contactId, enrollment.id, '2030-01-04T09:00:00.000Z');
        const told = anOutboundEvent(contactId, { enrollmentId: enrollment.id });

        expect(
          await stores.enrollments.start(
            enrollment,
            { messages: [hello], timers: [timer], outboundEvents: [told] },
            once,
          ),
        ).toBe('started');

        // The journey allows one enrollment at a time, so this one holds the marker.
        expect(await stores.enrollments.listForContact(contactId)).toEqual([
          { ...enrollment, holdsActiveMarker: true },
        ]);
        expect(await stores.outbox.get(contactId, hello.key)).toEqual(hello);
        expect(await stores.outboundEvents.get(contactId, told.id)).toEqual(told);
        const filed = await stores.timers.dueIn(
          timerLocation(timer, stores.timerShards, new Date(enrollment.enteredAt)),
          new Date(timer.dueAt),
          10,
        );
        expect(filed.map((due) => due.timer)).toEqual([timer]);
      });
    });

    describe('when the same trigger is replayed', () => {
      it('answers already-started and queues nothing new', async () => {
        const contactId = newId();
        const enrollment = anEnrollment(contactId);
        await stores.enrollments.start(
          enrollment,
          { messages: [aMessage(contactId, { key: `${enrollment.id}#hello#1` })], timers: [] },
          once,
        );
        const extra = aMessage(contactId, { key: `${enrollment.id}#extra#1` });

        expect(await stores.enrollments.start(enrollment, { messages: [extra], timers: [] }, once)).toBe(
          'already-started',
        );

        expect(await stores.outbox.get(contactId, extra.key)).toBeUndefined();
        expect(await stores.enrollments.listForContact(contactId)).toHaveLength(1);
      });
    });

    describe('when a journey allows one entry and the contact entered before', () => {
      it('answers already-entered and stores nothing', async () => {
        const contactId = newId();
        await stores.enrollments.start(anEnrollment(contactId, { status: 'completed' }), none, once);
        const second = anEnrollment(contactId);
        const message = aMessage(contactId, { key: `${second.id}#hello#1` });

        expect(await stores.enrollments.start(second, { messages: [message], timers: [] }, once)).toBe(
          'already-entered',
        );

        expect(await stores.enrollments.listForContact(contactId)).toHaveLength(1);
        expect(await stores.outbox.get(contactId, message.key)).toBeUndefined();
      });
    });

    describe('when a journey allows re-entry', () => {
      it('starts a second enrollment for the same contact', async () => {
        const contactId = newId();
        await stores.enrollments.start(anEnrollment(contactId), none, always);

        expect(await stores.enrollments.start(anEnrollment(contactId), none, always)).toBe('started');
        expect(await stores.enrollments.listForContact(contactId)).toHaveLength(2);
      });
    });

    describe('when a journey allows re-entry after a cooldown', () => {
      const cooldown = (since: string) => ({ reentry: { since: new Date(since) }, exclusive: false });

      it('refuses an entry within the cooldown and accepts one after it', async () => {
        const contactId = newId();
        await stores.enrollments.start(
          anEnrollment(contactId, { enteredAt: '2030-01-01T00:00:00.000Z' }),
          none,
          cooldown('2029-12-01T00:00:00.000Z'),
        );

        const tooSoon = anEnrollment(contactId, { enteredAt: '2030-01-10T00:00:00.000Z' });
        expect(await stores.enrollments.start(tooSoon, none, cooldown('2029-12-11T00:00:00.000Z'))).toBe(
          'cooling-down',
        );

        const later = anEnrollment(contactId, { enteredAt: '2030-03-01T00:00:00.000Z' });
        expect(await stores.enrollments.start(later, none, cooldown('2030-01-30T00:00:00.000Z'))).toBe(
          'started',
        );
      });
    });

    describe('when a journey allows one enrollment at a time', () => {
      const exclusive = { reentry: 'always', exclusive: true } as const;

      it('refuses a second while the first runs, and accepts one once it has ended', async () => {
        const contactId = newId();
        const first = anEnrollment(contactId);
        await stores.enrollments.start(first, none, exclusive);
        expect(await stores.enrollments.start(anEnrollment(contactId), none, exclusive)).toBe(
          'already-active',
        );

        const [stored] = await stores.enrollments.listForContact(contactId);
        await stores.enrollments.advance({ ...(stored ?? first), status: 'completed', version: 2 }, 1, none);

        expect(await stores.enrollments.start(anEnrollment(contactId), none, exclusive)).toBe('started');
      });

      it('takes no marker for an enrollment that ended in its first step', async () => {
        const contactId = newId();
        await stores.enrollments.start(anEnrollment(contactId, { status: 'completed' }), none, exclusive);

        expect(await stores.enrollments.start(anEnrollment(contactId), none, exclusive)).toBe('started');
      });
    });

    describe('when the journey stopped allowing concurrent enrollments between versions', () => {
      it('ends the older enrollment without touching the marker the newer one holds', async () => {
        const contactId = newId();
        const older = anEnrollment(contactId);
        await stores.enrollments.start(older, none, always);
        const newer = anEnrollment(contactId);
        await stores.enrollments.start(newer, none, { reentry: 'always', exclusive: true });

        await stores.enrollments.advance({ ...older, status: 'completed', version: 2 }, 1, none);

        expect(
          await stores.enrollments.start(anEnrollment(contactId), none, {
            reentry: 'always',
            exclusive: true,
          }),
        ).toBe('already-active');
      });
    });

    describe('when an enrollment advances', () => {
      it('writes the new state and its effects', async () => {
        const contactId = newId();
        const enrollment = anEnrollment(contactId);
        await stores.enrollments.start(enrollment, none, always);
        const next = aMessage(contactId, { key: `${enrollment.id}#tips#1`, kind: 'marketing' });

        await stores.enrollments.advance({ ...enrollment, currentNode: 'tips', version: 2 }, 1, {
          messages: [next],
          timers: [],
        });

        expect((await stores.enrollments.listForContact(contactId))[0]).toMatchObject({
          currentNode: 'tips',
          version: 2,
        });
        expect(await stores.outbox.get(contactId, next.key)).toEqual(next);
      });

      it('refuses a stale version and writes none of the effects', async () => {
        const contactId = newId();
        const enrollment = anEnrollment(contactId);
        await stores.enrollments.start(enrollment, none, always);
        await stores.enrollments.advance({ ...enrollment, version: 2 }, 1, none);
        const lost = aMessage(contactId, { key: `${enrollment.id}#lost#1` });

        await expect(
          stores.enrollments.advance({ ...enrollment, version: 2 }, 1, { messages: [lost], timers: [] }),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);
        expect(await stores.outbox.get(contactId, lost.key)).toBeUndefined();
      });
    });

    describe('when a step carries its counters', () => {
      const counters = (journeyId: string, day: string, metrics: string[]) =>
        metrics.map((metric) => ({ scope: `journey:${journeyId}`, day, metric, by: 1 }));

      it('counts an entry once: a replayed trigger and a refused entry count nothing', async () => {
        const contactId = newId();
        const enrollment = anEnrollment(contactId, { journeyId: 'count-entry' });
        const entering = counters('count-entry', '2026-12-04', ['entered:treatment', 'members:treatment']);

        expect(await stores.enrollments.start(enrollment, { ...none, counters: entering }, once)).toBe(
          'started',
        );
        expect(await stores.enrollments.start(enrollment, { ...none, counters: entering }, once)).toBe(
          'already-started',
        );
        expect(
          await stores.enrollments.start(
            anEnrollment(contactId, { journeyId: 'count-entry' }),
            { ...none, counters: entering },
            once,
          ),
        ).toBe('already-entered');

        expect(await stores.stats.read('journey:count-entry', '2026-12-04')).toEqual({
          'entered:treatment': 1,
          'members:treatment': 1,
        });
      });

      it('counts a step once: a stale version counts nothing', async () => {
        const contactId = newId();
        const enrollment = anEnrollment(contactId, { journeyId: 'count-step' });
        await stores.enrollments.start(enrollment, none, always);
        const step = {
          ...none,
          counters: counters('count-step', '2026-12-05', ['node:tips:entered', 'completed']),
        };

        await stores.enrollments.advance({ ...enrollment, status: 'completed', version: 2 }, 1, step);
        await expect(
          stores.enrollments.advance({ ...enrollment, status: 'completed', version: 2 }, 1, step),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);

        expect(await stores.stats.read('journey:count-step', '2026-12-05')).toEqual({
          'node:tips:entered': 1,
          completed: 1,
        });
      });

      it('adds what does not fit beside a large step after it, still once', async () => {
        const contactId = newId();
        const enrollment = anEnrollment(contactId, { journeyId: 'count-large' });
        const messages = Array.from({ length: 80 }, (_, index) =>
          aMessage(contactId, { key: `${enrollment.id}#send-${index}#1`, kind: 'marketing' }),
        );
        const visits = counters(
          'count-large',
          '2026-12-06',
          Array.from({ length: 40 }, (_, index) => `node:n${index}:entered`),
        );

        expect(
          await stores.enrollments.start(enrollment, { messages, timers: [], counters: visits }, always),
        ).toBe('started');
        expect(
          await stores.enrollments.start(enrollment, { messages, timers: [], counters: visits }, always),
        ).toBe('already-started');

        const counted = await stores.stats.read('journey:count-large', '2026-12-06');
        expect(Object.keys(counted)).toHaveLength(40);
        expect(Object.values(counted).every((count) => count === 1)).toBe(true);
      });
    });

    describe('when a step updates the contact', () => {
      const withContact = async () => {
        const contact = aContact();
        await stores.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
        return contact;
      };
      const update = (contactId: string, expectedVersion: number) => ({
        contactId,
        expectedVersion,
        attributes: { tier: 'vip' },
        updatedAt: '2026-11-23T12:00:00.000Z',
        events: [
          {
            id: `upd-${newId()}`,
            contactId,
            type: 'contact_updated' as const,
            at: '2026-11-23T12:00:00.000Z',
            data: { changed: ['tier'], attributes: { tier: 'vip' } },
          },
        ],
      });

      it('writes only the attributes over the version the step read, with its event, in the step', async () => {
        const contact = await withContact();
        const enrollment = anEnrollment(contact.id);

        await stores.enrollments.start(
          enrollment,
          { ...none, contactUpdate: update(contact.id, contact.version) },
          always,
        );

        expect(await stores.contacts.get(contact.id)).toEqual({
          ...contact,
          attributes: { tier: 'vip' },
          updatedAt: '2026-11-23T12:00:00.000Z',
          version: contact.version + 1,
        });
        const events = (await stores.personalData.partition(contact.id)).filter((i) => i.group === 'events');
        expect(events.map((item) => item.item.type)).toEqual(['contact_updated']);
      });

      it('fails the whole step with ConcurrentUpdateError when the contact changed since it was read', async () => {
        const contact = await withContact();
        await stores.contacts.update({
          contact: { ...contact, name: 'Changed', version: contact.version + 1 },
          expectedVersion: contact.version,
          consent: [],
          events: [],
          messages: [],
        });
        const enrollment = anEnrollment(contact.id);
        const message = aMessage(contact.id, { key: `${enrollment.id}#hello#1` });

        await expect(
          stores.enrollments.start(
            enrollment,
            { messages: [message], timers: [], contactUpdate: update(contact.id, contact.version) },
            always,
          ),
        ).rejects.toBeInstanceOf(ConcurrentUpdateError);

        expect(await stores.enrollments.listForContact(contact.id)).toEqual([]);
        expect(await stores.outbox.get(contact.id, message.key)).toBeUndefined();
        expect(await stores.contacts.get(contact.id)).toMatchObject({ name: 'Changed', attributes: {} });
      });
    });

    describe('the running enrollments of a journey', () => {
      it('lists each active one once, page by page, and drops one once it ends', async () => {
        const own = await make();
        const journeyId = `walk-${newId().toLowerCase()}`;
        const running: Enrollment[] = Array.from({ length: 9 }, () => anEnrollment(newId(), { journeyId }));
        for (const enrollment of running) await own.enrollments.start(enrollment, none, always);
        await own.enrollments.start(anEnrollment(newId(), { journeyId: 'other' }), none, always);
        const [ended] = running;
        if (ended === undefined) throw new Error('no enrollment');
        await own.enrollments.advance({ ...ended, status: 'exited', version: 2 }, 1, none);

        const seen: string[] = [];
        let cursor: JobCursor | undefined = { shard: 0 };
        while (cursor !== undefined) {
          const page = await own.enrollments.activePage(journeyId, cursor, 2);
          seen.push(...page.items.map((enrollment) => enrollment.id));
          cursor = page.next;
        }

        expect(seen.sort()).toEqual(
          running
            .slice(1)
            .map((enrollment) => enrollment.id)
            .sort(),
        );
      });
    });
  });

import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { addressHash } from '../../../lib/adapters/dynamodb/suppression-items.js';
import type { MemoryPersonalDataStore } from '../../../lib/adapters/memory/memory-personal-data-store.js';
import { type AdvanceJourneysDeps, advanceJourneys } from '../../../lib/app/advance-journeys.js';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { type EraseContactDeps, eraseContact } from '../../../lib/app/erase-contact.js';
import { exportContact } from '../../../lib/app/export-contact.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import { type SignUpDeps, signUp } from '../../../lib/app/sign-up.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { ContactEvent } from '../../../lib/domain/contact-event.js';
import { NotFoundError } from '../../../lib/domain/errors.js';
import type { MessageTimer, Timer } from '../../../lib/domain/timer.js';
import type { PersonalDataStore } from '../../../lib/ports/personal-data-store.js';
import { aConsentEntry, anEnrollment, newId } from '../../support/builders.js';
import {
  aDeliveryWorld,
  advanceDepsFor,
  aJourneyMessage,
  aSubscribedContact,
  type DeliveryWorld,
  signUpDepsFor,
  timerShards,
} from './support/worlds.js';

/**
 * A contact with one item of every kind the system writes under its partition,
 * written by the real stores, then exported and erased. The world's clock starts
 * at 2026-11-23T12:00Z; the contact's journey waits on a timer due at 13:00.
 */
interface Person {
  contact: Contact;
  email: string;
  phone: string;
  userId: string;
  enrollmentId: string;
  journeyMessageKey: string;
}

interface World {
  delivery: DeliveryWorld;
  personalData: MemoryPersonalDataStore;
  erase: EraseContactDeps;
  signUp: SignUpDeps;
  advance: AdvanceJourneysDeps;
  scan(): Promise<Array<Record<string, unknown>>>;
}

const createWorld = async (): Promise<World> => {
  const delivery = await aDeliveryWorld();
  const { personalData } = delivery.world;
  const { suppressions, clock } = delivery;
  return {
    delivery,
    personalData,
    erase: { personalData, suppressions, clock },
    signUp: signUpDepsFor(delivery.world, 0),
    advance: advanceDepsFor(delivery.world),
    scan: async () => delivery.world.table.scan(),
  };
};

const journeyTimer = (contactId: string, enrollmentId: string): Timer => ({
  id: `welcome#${enrollmentId}#pause#1`,
  contactId,
  dueAt: '2026-11-23T13:00:00.000Z',
  journeyId: 'welcome',
  enrollmentId,
  nodeId: 'pause',
  visit: 1,
});

/** Writes everything a busy contact accumulates, each through the store that writes it in production. */
const aPersonWithEverything = async (world: World): Promise<Person> => {
  const { contacts, clock } = world.delivery;
  const suffix = newId().toLowerCase();
  const email = `erin-${suffix}@example.com`;
  const phone = `+1425555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
  const userId = `shop-${suffix}`;
  const contact = aSubscribedContact({ email, phone, name: 'Erin' });
  const now = clock.now().toISOString();

  // Profile, email identity, the signup's consent entry and its confirmation message.
  await contacts.create({
    contact,
    consent: aConsentEntry(contact.id),
    messages: [aJourneyMessage(contact.id, { key: `confirm#${newId()}`, kind: 'transactional' })],
  });
  await contacts.claimPhone(phone, contact.id);
  // A second consent entry and an event, as a confirmation writes them.
  await contacts.update({
    contact: { ...contact, version: 2 },
    expectedVersion: 1,
    consent: [aConsentEntry(contact.id, { action: 'confirmed', at: now })],
    events: [{ id: newId(), contactId: contact.id, type: 'signup_confirmed', at: now, data: {} }],
    messages: [],
  });
  // An enrollment waiting on a timer, with its markers, a queued journey message and an outbound event.
  const enrollmentId = newId();
  const journeyMessage = aJourneyMessage(contact.id, {
    key: `welcome#${enrollmentId}#hello#1`,
    enrollmentId,
  });
  await world.advance.enrollments.start(
    anEnrollment(contact.id, {
      id: enrollmentId,
      currentNode: 'pause',
      waiting: {
        kind: 'timer',
        nodeId: 'pause',
        timerId: `welcome#${enrollmentId}#pause#1`,
        dueAt: '2026-11-23T13:00:00.000Z',
      },
      enteredAt: now,
      updatedAt: now,
    }),
    {
      messages: [journeyMessage],
      timers: [journeyTimer(contact.id, enrollmentId)],
      outboundEvents: [
        {
          id: `welcome#${enrollmentId}#tell-crm#1`,
          contactId: contact.id,
          source: 'rapport.journeys',
          detailType: 'Welcome Started',
          detail: { contactId: contact.id },
          journeyId: 'welcome',
          enrollmentId,
          nodeId: 'tell-crm',
          status: 'pending',
          createdAt: now,
        },
      ],
    },
    { reentry: 'never', exclusive: true },
  );
  // The shop's user id and an order, as ingestion records them.
  const orderId = `order-${suffix}`;
  await world.delivery.world.ingestion.record({
    dedupe: [],
    profile: {
      kind: 'update',
      contact: { ...contact, externalId: userId, version: 3 },
      expectedVersion: 2,
      identities: [{ kind: 'user', value: userId }],
    },
    event: {
      id: newId(),
      contactId: contact.id,
      type: 'order_completed',
      at: now,
      data: { order_id: orderId, total: 42 },
    },
    order: {
      orderId,
      contactId: contact.id,
      at: now,
      revenue: 42,
      total: 42,
      currency: 'EUR',
      lines: [{ sku: 'INK-1', price: 42, quantity: 1 }],
      refunded: 0,
      source: { channel: 'api' },
    },
  });
  // A click on a sent message, as SES feedback records it.
  await world.delivery.world.clicks.record(
    contact.id,
    { messageId: journeyMessage.key, journeyId: 'welcome', clickedAt: now },
    Math.floor(Date.parse(now) / 1000) + 86_400,
  );
  // Both addresses were suppressed in the clear before the erasure.
  await world.delivery.suppressions.suppress({ channel: 'email', address: email, reason: 'bounce', at: now });
  await world.delivery.suppressions.suppress({ channel: 'sms', address: phone, reason: 'opt-out', at: now });
  // An item of a kind no code knows yet: the export and the erasure must not skip it.
  world.delivery.world.table.write({
    put: { PK: `C#${contact.id}`, SK: 'NOTE#1', type: 'note', text: 'prefers phone calls' },
  });
  return { contact, email, phone, userId, enrollmentId, journeyMessageKey: journeyMessage.key };
};

const mentions = (items: unknown, person: Person): string[] => {
  const text = JSON.stringify(items);
  return [person.email, person.phone, person.userId, 'Erin', 'prefers phone calls'].filter((value) =>
    text.includes(value),
  );
};

let world: World;
let person: Person;
beforeEach(async () => {
  world = await createWorld();
  person = await aPersonWithEverything(world);
});

describe('exporting a contact', () => {
  it('lists every kind of item written for the contact, grouped, without the table keys', async () => {
    const exported = await exportContact(
      { ...world.erase, suppressions: world.delivery.suppressions },
      person.contact.id,
    );

    expect(exported).toMatchObject({
      format: 'rapport.contact-export/1',
      contactId: person.contact.id,
      profile: { email: person.email, phone: person.phone, name: 'Erin', externalId: person.userId },
      identities: {
        email: { value: person.email, pointsHere: true },
        phone: { value: person.phone, pointsHere: true },
        userId: { value: person.userId, pointsHere: true },
      },
      suppression: {
        email: { suppressed: true, reason: 'bounce' },
        sms: { suppressed: true, reason: 'opt-out' },
      },
    });
    expect(exported.consentLog.map((entry) => entry.action)).toEqual(['requested', 'confirmed']);
    expect(exported.events.map((event) => event.type).sort()).toEqual([
      'order_completed',
      'signup_confirmed',
    ]);
    expect(exported.enrollments).toEqual([
      expect.objectContaining({ id: person.enrollmentId, status: 'active', currentNode: 'pause' }),
    ]);
    expect(exported.markers.map((marker) => marker.type).sort()).toEqual(['active', 'entered']);
    expect(exported.messages.map((message) => [message.key, message.status])).toEqual(
      expect.arrayContaining([[person.journeyMessageKey, 'queued']]),
    );
    expect(exported.messages).toHaveLength(2);
    expect(exported.outboundEvents).toEqual([
      expect.objectContaining({ detailType: 'Welcome Started', status: 'pending' }),
    ]);
    expect(exported.orders).toEqual([expect.objectContaining({ total: 42, currency: 'EUR' })]);
    expect(exported.clicks).toEqual([expect.objectContaining({ messageId: person.journeyMessageKey })]);
    expect(exported.other).toEqual([{ sortKey: 'NOTE#1', type: 'note', text: 'prefers phone calls' }]);
    const keyAttributes = JSON.stringify(exported).match(/"(PK|SK|GSI1PK|GSI1SK)":/g);
    expect(keyAttributes).toBeNull();
  });

  it('answers NotFoundError for an id that is no contact', async () => {
    await expect(
      exportContact({ ...world.erase, suppressions: world.delivery.suppressions }, newId()),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('erasing a contact', () => {
  it('removes every item and lookup, leaving only the hashed suppressions and the audit record', async () => {
    const erasure = await eraseContact(world.erase, person.contact.id);

    expect(erasure).toEqual({
      contactId: person.contact.id,
      status: 'erased',
      requestedAt: '2026-11-23T12:00:00.000Z',
      erasedAt: '2026-11-23T12:00:00.000Z',
      removed: {
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
        identities: 3,
        suppressions: 2,
      },
      suppressedByHash: ['email', 'sms'],
    });
    const left = await world.scan();
    const partitionKeys = left.map((item) => String(item.PK));
    // The world's template (content, not about anyone) and the journey's timer, which stays in
    // the wheel because the wheel cannot be searched by contact: it names ids only.
    const content = partitionKeys.filter((pk) => pk.startsWith('TPL#') || pk === 'TEMPLATES');
    const wheel = partitionKeys.filter((pk) => pk.startsWith('T#'));
    expect(wheel).toHaveLength(1);
    expect(partitionKeys.filter((pk) => !content.includes(pk) && !wheel.includes(pk)).sort()).toEqual(
      [
        keys.hashedSuppression('email', addressHash('email', person.email)).PK,
        keys.hashedSuppression('sms', addressHash('sms', person.phone)).PK,
        keys.erasure(person.contact.id).PK,
      ].sort(),
    );
    expect(mentions(left, person)).toEqual([]);
  });

  it('keeps the addresses suppressed by their hash alone', async () => {
    await eraseContact(world.erase, person.contact.id);

    const { suppressions } = world.delivery;
    expect(
      await suppressions.isSuppressed('email', person.email.toUpperCase(), world.delivery.clock.now()),
    ).toBe(true);
    expect(await suppressions.isSuppressed('sms', person.phone, world.delivery.clock.now())).toBe(true);
    expect(await suppressions.find('email', person.email)).toEqual({
      reason: 'erasure',
      at: '2026-11-23T12:00:00.000Z',
    });
    // A bounce or a STOP arriving later does not write the address down in the clear again.
    await suppressions.suppress({
      channel: 'sms',
      address: person.phone,
      reason: 'opt-out',
      at: '2026-11-24T12:00:00.000Z',
    });
    expect(mentions(await world.scan(), person)).toEqual([]);
  });

  it('answers a repeated erasure with the same record', async () => {
    const first = await eraseContact(world.erase, person.contact.id);
    world.delivery.clock.set('2026-11-25T09:00:00.000Z');

    expect(await eraseContact(world.erase, person.contact.id)).toEqual(first);
  });

  it('answers NotFoundError for an id that was never a contact', async () => {
    await expect(eraseContact(world.erase, newId())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('leaves a later signup from the erased address nothing to mail and nothing stored', async () => {
    await eraseContact(world.erase, person.contact.id);
    const before = await world.scan();
    const asNewcomer = await signUp(world.signUp, {
      body: { email: `new-${newId().toLowerCase()}@example.com`, consent: 'on' },
      source: {},
    });
    const afterNewcomer = await world.scan();

    const asErased = await signUp(world.signUp, {
      body: { email: person.email.toUpperCase(), consent: 'on', phone: person.phone, sms_consent: 'on' },
      source: { ip: '192.0.2.7' },
    });

    // The form's rate counters count callers and forms, never an address.
    const aboutPeople = (items: ReadonlyArray<Record<string, unknown>>) =>
      items.filter((item) => !String(item.PK).startsWith('RATE#'));
    expect(asErased).toEqual(asNewcomer);
    expect(aboutPeople(afterNewcomer).length).toBeGreaterThan(aboutPeople(before).length);
    expect(aboutPeople(await world.scan())).toEqual(aboutPeople(afterNewcomer));
    expect(await world.delivery.contacts.findIdByEmail(person.email)).toBeUndefined();
  });
});

describe('an erasure interrupted or raced', () => {
  it('is finished by the next request when it stopped after the profile was deleted', async () => {
    await world.personalData.beginErasure(
      {
        contactId: person.contact.id,
        status: 'erasing',
        requestedAt: '2026-11-23T11:59:00.000Z',
        removed: { profile: 1 },
        suppressedByHash: [],
      },
      3,
    );

    const erasure = await eraseContact(world.erase, person.contact.id);

    expect(erasure).toMatchObject({ status: 'erased', requestedAt: '2026-11-23T11:59:00.000Z' });
    expect(erasure.removed).toMatchObject({ profile: 1, consentLog: 2, orders: 1, other: 1 });
    expect(await world.personalData.partition(person.contact.id)).toEqual([]);
  });

  it('erases what a signup changed in between, such as a new phone number', async () => {
    const newPhone = '+14255550999';
    const { contacts } = world.delivery;
    const store = world.personalData;
    let raced = false;
    const racing: PersonalDataStore = {
      profile: (contactId) => store.profile(contactId),
      partition: (contactId) => store.partition(contactId),
      identityOwner: (kind, value) => store.identityOwner(kind, value),
      releaseIdentity: (kind, value, contactId) => store.releaseIdentity(kind, value, contactId),
      deletePartition: (contactId) => store.deletePartition(contactId),
      finishErasure: (record) => store.finishErasure(record),
      erasure: (contactId) => store.erasure(contactId),
      beginErasure: async (record, expectedVersion) => {
        if (!raced) {
          raced = true;
          const current = await contacts.get(record.contactId);
          if (current === undefined) throw new Error('the contact is gone before the race');
          await contacts.update({
            contact: { ...current, phone: newPhone, version: current.version + 1 },
            expectedVersion: current.version,
            consent: [],
            events: [],
            messages: [],
          });
          await contacts.claimPhone(newPhone, record.contactId);
        }
        await store.beginErasure(record, expectedVersion);
      },
    };

    const erasure = await eraseContact({ ...world.erase, personalData: racing }, person.contact.id);

    expect(erasure.removed.identities).toBe(4);
    expect(await world.delivery.suppressions.isSuppressed('sms', newPhone, world.delivery.clock.now())).toBe(
      true,
    );
    const left = await world.scan();
    expect(JSON.stringify(left)).not.toContain(newPhone);
    expect(mentions(left, person)).toEqual([]);
  });
});

describe('timers the erasure cannot reach', () => {
  it('turn into a timer event that advancing journeys ignores', async () => {
    const first = await eraseContact(world.erase, person.contact.id);
    world.delivery.clock.set('2026-11-23T13:01:00.000Z');

    const fired = await fireDueTimers({ timers: world.delivery.timers }, world.delivery.clock.now(), {
      shards: timerShards,
      firstRunLookbackMinutes: 10,
    });
    expect(fired.fired).toBe(1);
    const [written, ...more] = await world.personalData.partition(person.contact.id);
    expect(more).toEqual([]);
    expect(written?.group).toBe('events');
    const event = ContactEvent.parse(written?.item);
    expect(event.type).toBe('timer');

    expect(await advanceJourneys(world.advance, event)).toEqual([]);
    expect(await world.personalData.partition(person.contact.id)).toHaveLength(1);
    // A repeated erasure sweeps the leftover away and still answers as the first did.
    expect(await eraseContact(world.erase, person.contact.id)).toEqual(first);
    expect(await world.personalData.partition(person.contact.id)).toEqual([]);
  });

  it('turn a deferred message into a copy that deliver skips, sending nothing', async () => {
    const key = `${person.journeyMessageKey}~d1`;
    const deferred: MessageTimer = {
      kind: 'message',
      id: `msg#${person.contact.id}#${key}`,
      contactId: person.contact.id,
      dueAt: '2026-11-23T13:00:00.000Z',
      message: aJourneyMessage(person.contact.id, { key }),
    };
    await world.delivery.timers.deferMessage(deferred, world.delivery.clock.now());
    await eraseContact(world.erase, person.contact.id);
    world.delivery.clock.set('2026-11-23T13:01:00.000Z');

    await fireDueTimers({ timers: world.delivery.timers }, world.delivery.clock.now(), {
      shards: timerShards,
      firstRunLookbackMinutes: 10,
    });
    const outcome = await deliverMessage(world.delivery.deps, { contactId: person.contact.id, key });

    expect(outcome).toEqual({ outcome: 'skipped', reason: 'contact-missing' });
    expect(world.delivery.world.mailer.sentTo(person.email)).toEqual([]);
    const copy = (await world.personalData.partition(person.contact.id)).find(
      (item) => item.group === 'messages',
    );
    expect(copy?.item).toMatchObject({ key, status: 'skipped', skipReason: 'contact-missing' });
    expect(mentions(copy, person)).toEqual([]);
  });
});

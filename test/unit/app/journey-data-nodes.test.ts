import { beforeEach, describe, expect, it } from 'vitest';
import { eventFromItem } from '../../../lib/adapters/dynamodb/items.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { timerKey } from '../../../lib/adapters/dynamodb/timer-items.js';
import { MemoryContactStore } from '../../../lib/adapters/memory/memory-contact-store.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import type { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { type AdvanceJourneysDeps, advanceJourneys } from '../../../lib/app/advance-journeys.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { ContactEvent } from '../../../lib/domain/contact-event.js';
import { upcomingDateTimers } from '../../../lib/domain/date-trigger.js';
import { ConcurrentUpdateError } from '../../../lib/domain/errors.js';
import { isDateTrigger, JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { aContact, aSignup, newId } from '../../support/builders.js';
import { advanceDepsFor, aWorld } from './support/worlds.js';

let world: MemoryWorld;
let deps: AdvanceJourneysDeps;
let contacts: MemoryWorld['contacts'];
let timers: MemoryWorld['timers'];
let journeys: MemoryWorld['journeys'];
let clock: VirtualClock;
let contact: Contact;

const shards = 2;

beforeEach(async () => {
  world = aWorld('2026-03-01T08:00:00Z', shards);
  ({ clock, contacts, timers, journeys } = world);
  deps = advanceDepsFor(world);
  contact = aContact({
    timeZone: 'Europe/Oslo',
    consent: {
      email: { status: 'subscribed', changedAt: '2026-01-01T00:00:00.000Z' },
      sms: { status: 'none', changedAt: '2026-01-01T00:00:00.000Z' },
    },
  });
  await contacts.create(aSignup(contact));
});

const event = (type: ContactEvent['type'], data: Record<string, unknown> = {}): ContactEvent => ({
  id: newId(),
  contactId: contact.id,
  type,
  at: clock.now().toISOString(),
  data,
});

/** The contact's items under a sort key prefix, as stored. */
const itemsOf = async (prefix: string) => world.items(keys.contact(contact.id).PK, prefix);

const vipJourney = JourneyDefinition.parse({
  id: 'vip',
  name: 'VIP',
  trigger: { event: 'order_completed', condition: { 'event.data.total': { $gte: 500 } } },
  entry: { reentry: 'always', concurrent: true },
  start: 'mark',
  nodes: [
    { id: 'mark', type: 'update_contact', set: { tier: 'vip' }, next: 'tell' },
    {
      id: 'tell',
      type: 'emit_event',
      detail_type: 'VIP Reached',
      detail: { order: { $ref: 'event.data.order_id' } },
    },
  ],
});

describe('when a journey updates the contact and emits an event', () => {
  it('writes the attributes, a contact_updated event and the outbound event with the step, once', async () => {
    await journeys.publish(vipJourney, clock.now());
    const order = event('order_completed', { order_id: 'A-1', total: 900 });
    expect(await advanceJourneys(deps, order)).toEqual([expect.objectContaining({ outcome: 'started' })]);
    await advanceJourneys(deps, order);

    expect((await contacts.get(contact.id))?.attributes).toEqual({ tier: 'vip' });
    expect((await contacts.get(contact.id))?.version).toBe(contact.version + 1);
    const updates = await itemsOf(keys.eventPrefix);
    expect(updates.filter((item) => item.eventType === 'contact_updated')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ changed: ['tier'], attributes: { tier: 'vip' } }),
      }),
    ]);
    expect(await itemsOf(keys.outboundEventPrefix)).toEqual([
      expect.objectContaining({
        type: 'outbound-event',
        source: 'rapport.journeys',
        detailType: 'VIP Reached',
        status: 'pending',
        detail: expect.objectContaining({
          order: 'A-1',
          contactId: contact.id,
          journeyId: 'vip',
          eventId: `vip#${order.id}#tell#1`,
        }),
      }),
    ]);
  });

  it('fails the whole step when the contact changed after it was read, so a retry reads it again', async () => {
    await journeys.publish(vipJourney, clock.now());
    // The journeys function read the contact before this other write landed.
    class StaleRead extends MemoryContactStore {
      override async get() {
        return contact;
      }
    }
    const stale = { ...deps, contacts: new StaleRead(world.table) };
    const stored = await contacts.get(contact.id);
    if (stored === undefined) throw new Error('contact missing');
    await contacts.update({
      contact: { ...stored, name: 'Kari', version: stored.version + 1 },
      expectedVersion: stored.version,
      consent: [],
      events: [],
      messages: [],
    });
    await expect(advanceJourneys(stale, event('order_completed', { total: 900 }))).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    expect(await itemsOf('EN#')).toEqual([]);
    expect(await itemsOf(keys.outboundEventPrefix)).toEqual([]);
  });
});

describe('when a journey has a date trigger', () => {
  const birthday = JourneyDefinition.parse({
    id: 'birthday',
    name: 'Birthday',
    trigger: { date: 'contact.attributes.birthday', repeat: 'yearly', at: '09:00' },
    entry: { reentry: 'always' },
    start: 'greet',
    nodes: [{ id: 'greet', type: 'send_email', template: 'birthday' }],
  });
  const setBirthday = JourneyDefinition.parse({
    id: 'profile',
    name: 'Profile',
    trigger: { event: 'track', condition: { 'event.data.name': 'Birthday Given' } },
    entry: { reentry: 'always', concurrent: true },
    start: 'save',
    nodes: [{ id: 'save', type: 'update_contact', set: { birthday: { $ref: 'event.data.birthday' } } }],
  });

  const drain = async () => {
    await fireDueTimers({ timers }, clock.now(), { shards, settleSeconds: 0 });
    const fired = (await itemsOf(keys.eventPrefix)).filter((item) => item.eventType === 'date_reached');
    return fired.map((item) => ContactEvent.parse(eventFromItem(item)));
  };

  it('files the next birthday when the contact changes, enters on the day, and files the year after', async () => {
    await journeys.publish(birthday, clock.now());
    await journeys.publish(setBirthday, clock.now());
    await advanceJourneys(deps, event('track', { name: 'Birthday Given', birthday: '1990-03-05' }));
    const [updated] = (await itemsOf(keys.eventPrefix)).filter(
      (item) => item.eventType === 'contact_updated',
    );
    if (updated === undefined) throw new Error('no contact_updated event');
    await advanceJourneys(deps, ContactEvent.parse(eventFromItem(updated)));

    clock.set(new Date('2026-03-05T08:00:00Z'));
    const [reached] = await drain();
    expect(reached?.data).toEqual({
      journeyId: 'birthday',
      occurrence: '2026-03-05',
      dueAt: '2026-03-05T08:00:00.000Z',
    });
    if (reached === undefined) throw new Error('no date_reached event');
    expect(await advanceJourneys(deps, reached)).toEqual([
      expect.objectContaining({ journeyId: 'birthday', outcome: 'started', messages: 1 }),
    ]);

    const stored = await contacts.get(contact.id);
    if (stored === undefined) throw new Error('contact missing');
    const trigger = birthday.trigger;
    if (!isDateTrigger(trigger)) throw new Error('not a date trigger');
    const [nextYear] = upcomingDateTimers('birthday', trigger, stored, clock.now(), 'Europe/Oslo');
    expect(nextYear).toMatchObject({ occurrence: '2027-03-05', dueAt: '2027-03-05T08:00:00.000Z' });
    if (nextYear === undefined) throw new Error('no next occurrence');
    expect(world.table.get(timerKey(nextYear, shards))).toMatchObject({
      kind: 'date',
      journeyId: 'birthday',
      occurrence: '2027-03-05',
    });
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import type { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { advanceJourneys } from '../../../lib/app/advance-journeys.js';
import type { HandleContactEventDeps } from '../../../lib/app/handle-contact-event.js';
import {
  changeJourneyStatus,
  type ManageJourneysDeps,
  migrateJourney,
  publishJourney,
  putJourneyDraft,
} from '../../../lib/app/manage-journeys.js';
import { refreshCustomerValue } from '../../../lib/app/refresh-customer-value.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import type { Contact } from '../../../lib/domain/contact.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { aContact, aSignup, newId } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { adminStoresFor, advanceDepsFor, aWorld, jobDepsFor } from './support/worlds.js';

const shards = 2;
let advanceDeps: HandleContactEventDeps;
let manageDeps: ManageJourneysDeps;
let world: MemoryWorld;
let jobs: MemoryWorld['jobs'];
let contacts: MemoryWorld['contacts'];
let enrollments: MemoryWorld['enrollments'];
let clock: VirtualClock;
const runJobs = () => runJourneyJobs(jobDepsFor(world), { outOfTime: () => false, pageSize: 3 });

beforeEach(async () => {
  world = aWorld('2026-11-02T10:00:00Z', shards);
  ({ clock, contacts, enrollments, jobs } = world);
  const { templates } = world;
  advanceDeps = advanceDepsFor(world);
  manageDeps = { ...adminStoresFor(world), clock };
  for (const id of ['tips', 'tips-2', 'offer']) {
    await publishCompiled(
      templates,
      {
        id,
        kind: 'marketing',
        subject: id,
        text: 'Hello {{ contact.email }}',
        mjml: '<mj-text>Hello</mj-text>',
      },
      clock.now(),
    );
  }
});

const addContact = async (overrides: Partial<Contact> = {}): Promise<Contact> => {
  const contact = aContact({
    consent: {
      email: { status: 'subscribed', changedAt: '2026-01-01T00:00:00.000Z' },
      sms: { status: 'none', changedAt: '2026-01-01T00:00:00.000Z' },
    },
    ...overrides,
  });
  await contacts.create(aSignup(contact));
  return contact;
};

const signal = (contact: Contact): ContactEvent => ({
  id: newId(),
  contactId: contact.id,
  type: 'track',
  at: clock.now().toISOString(),
  data: { name: 'Trial Started' },
});

const course = (nodes: unknown[], start: string) => ({
  id: 'course',
  name: 'Course',
  trigger: { event: 'track' },
  entry: { reentry: 'always' },
  start,
  nodes,
});

const versionOne = course(
  [
    { id: 'pause', type: 'wait', duration: 'P3D', next: 'tip' },
    { id: 'tip', type: 'send_email', template: 'tips' },
  ],
  'pause',
);
const versionTwo = course(
  [
    { id: 'hold', type: 'wait', duration: 'P5D', next: 'tip-2' },
    { id: 'tip-2', type: 'send_email', template: 'tips-2', next: 'offer' },
    { id: 'offer', type: 'send_email', template: 'offer' },
  ],
  'hold',
);

const publish = async (definition: unknown) => {
  await putJourneyDraft(manageDeps, 'course', definition);
  return publishJourney(manageDeps, 'course');
};

const enrollmentOf = async (contact: Contact) => (await enrollments.listForContact(contact.id))[0];

describe('when running enrollments are migrated to a new version', () => {
  it('moves every one resting at a mapped wait, keeps its due time, and the next steps follow the new version', async () => {
    await publish(versionOne);
    const people = await Promise.all(Array.from({ length: 7 }, () => addContact()));
    for (const person of people) await advanceJourneys(advanceDeps, signal(person));
    await publish(versionTwo);

    const { job } = await migrateJourney(manageDeps, 'course', { from: 1, mapping: { pause: 'hold' } });
    expect(job.work).toEqual({ kind: 'migrate', fromVersion: 1, toVersion: 2, mapping: { pause: 'hold' } });
    expect(await runJobs()).toEqual([
      expect.objectContaining({ status: 'done', counts: { seen: 7, changed: 7, unchanged: 0 } }),
    ]);
    const [first] = people;
    if (first === undefined) throw new Error('no contact');
    const moved = await enrollmentOf(first);
    expect(moved).toMatchObject({
      journeyVersion: 2,
      currentNode: 'hold',
      waiting: { kind: 'timer', nodeId: 'hold', dueAt: '2026-11-05T10:00:00.000Z' },
    });

    clock.set('2026-11-05T10:00:00Z');
    const waiting = moved?.waiting;
    if (moved === undefined || waiting?.kind !== 'timer') throw new Error('not waiting on a timer');
    const fired: ContactEvent = {
      id: `timer-${moved.id}`,
      contactId: first.id,
      type: 'timer',
      at: clock.now().toISOString(),
      data: {
        id: waiting.timerId,
        dueAt: waiting.dueAt,
        journeyId: 'course',
        enrollmentId: moved.id,
        nodeId: 'pause',
        visit: 1,
      },
    };
    expect(await advanceJourneys(advanceDeps, fired)).toEqual([
      expect.objectContaining({ outcome: 'advanced', status: 'completed', messages: 2 }),
    ]);
  });

  it('refuses a mapping that leaves a wait out, or lands on another kind of node, naming each', async () => {
    await publish(versionOne);
    await publish(versionTwo);
    const refusal = await migrateJourney(manageDeps, 'course', { from: 1, mapping: {} }).catch(
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal).toMatchObject({
      fields: { mapping: expect.stringContaining('"pause" (wait) has no place') },
    });
    const wrongKind = await migrateJourney(manageDeps, 'course', {
      from: 1,
      mapping: { pause: 'offer' },
    }).catch((e: unknown) => e);
    expect(wrongKind).toMatchObject({
      fields: { 'mapping.pause': '"pause" is a wait but "offer" is a send_email' },
    });
    expect(await jobs.listForSubject('course')).toEqual([]);
  });
});

describe('when a journey is archived', () => {
  it('ends its running enrollments now instead of at their next event', async () => {
    await publish({ ...versionOne, entry: { reentry: 'always', concurrent: false } });
    const people = await Promise.all(Array.from({ length: 4 }, () => addContact()));
    for (const person of people) await advanceJourneys(advanceDeps, signal(person));
    await changeJourneyStatus(manageDeps, 'course', 'archive');
    expect(await runJobs()).toEqual([
      expect.objectContaining({
        kind: 'archive',
        status: 'done',
        counts: { seen: 4, changed: 4, unchanged: 0 },
      }),
    ]);
    for (const person of people) {
      expect(await enrollmentOf(person)).toMatchObject({ status: 'exited', exitReason: 'journey archived' });
    }
    expect(await runJobs()).toEqual([]);
  });
});

describe('when a version with a date trigger is published', () => {
  it('files the next occurrence for every contact that has the date, and none for the others', async () => {
    await Promise.all(
      ['1990-11-20', '1985-12-24', '2001-01-02', '1970-06-30'].map((birthday) =>
        addContact({ attributes: { birthday } }),
      ),
    );
    await addContact();
    await putJourneyDraft(manageDeps, 'birthday', {
      id: 'birthday',
      name: 'Birthday',
      trigger: { date: 'contact.attributes.birthday', repeat: 'yearly' },
      entry: { reentry: 'always' },
      start: 'greet',
      nodes: [{ id: 'greet', type: 'send_email', template: 'offer' }],
    });
    await publishJourney(manageDeps, 'birthday');
    expect(await runJobs()).toEqual([
      expect.objectContaining({
        kind: 'date-backfill',
        status: 'done',
        counts: { seen: 5, changed: 4, unchanged: 1 },
      }),
    ]);
  });
});

/** Seven customers, from a small spender to a big one, spread over every RFM band. */
const addCustomersWhoSpent = () =>
  Promise.all(
    [40, 80, 120, 200, 400, 900, 2500].map((revenue) =>
      addContact({
        customer: {
          ...emptyCustomerCard(),
          orders: revenue > 500 ? 3 : 1,
          revenue,
          averageOrderValue: revenue,
          firstPurchaseAt: '2026-01-10T10:00:00.000Z',
          lastPurchaseAt: '2026-10-01T10:00:00.000Z',
        },
      }),
    ),
  );

const refreshValue = () =>
  refreshCustomerValue(
    { contacts, customerValue: world.customerValue, jobs, ids: world.ids, clock },
    () => false,
  );

describe('when the customer value is refreshed', () => {
  it('stores base-wide cuts and then rescores every customer against them', async () => {
    const customers = await addCustomersWhoSpent();
    await addContact();
    const outcome = await refreshValue();
    expect(outcome).toMatchObject({ status: 'refreshed', customers: 7 });
    expect(await runJobs()).toEqual([
      expect.objectContaining({
        kind: 'customer-rescore',
        status: 'done',
        counts: { seen: 8, changed: 7, unchanged: 1 },
      }),
    ]);
    const biggest = await contacts.get(customers[6]?.id ?? '');
    expect(biggest?.customer).toMatchObject({ tier: 'vip', rfm: { monetary: 5 } });
    const smallest = await contacts.get(customers[0]?.id ?? '');
    expect(smallest?.customer?.rfm?.monetary).toBe(1);
    expect(await world.customerValue.thresholds()).toMatchObject({ customers: 7 });
  });
});

describe('when a rescore changes a customer’s tier', () => {
  it('evaluates the live segments on the rescored customer, since a rescore writes no event', async () => {
    await world.segments.put(
      { id: 'vips', name: 'VIPs', condition: { 'contact.customer.tier': 'vip' }, live: true },
      clock.now(),
    );
    const customers = await addCustomersWhoSpent();
    await refreshValue();

    await runJobs();

    const biggest = customers[6]?.id ?? '';
    expect((await contacts.get(biggest))?.customer?.tier).toBe('vip');
    expect(world.eventsOf(biggest).filter((event) => event.type === 'segment_entered')).toEqual([
      expect.objectContaining({ data: { segmentId: 'vips', segmentName: 'VIPs' } }),
    ]);
    expect(world.eventsOf(customers[0]?.id ?? '').map((event) => event.type)).not.toContain(
      'segment_entered',
    );
  });
});

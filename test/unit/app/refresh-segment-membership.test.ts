import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type HandleContactEventDeps, handleContactEvent } from '../../../lib/app/handle-contact-event.js';
import {
  type RefreshSegmentMembershipDeps,
  refreshSegmentMembership,
} from '../../../lib/app/refresh-segment-membership.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import { startLiveSegmentPass } from '../../../lib/app/start-live-segment-pass.js';
import type { Contact } from '../../../lib/domain/contact.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { aConsentEntry, aContact } from '../../support/builders.js';
import { aWorld, deploymentFor, jobDepsFor } from './support/worlds.js';

let world: MemoryWorld;
let deps: HandleContactEventDeps;
let refresh: RefreshSegmentMembershipDeps;

const big = { 'contact.customer.revenue': { $gte: 100 } };

const withRevenue = (contact: Contact, minor: number): Contact => ({
  ...contact,
  customer: { ...emptyCustomerCard(), orders: 1, revenue: minor, averageOrderValue: minor, currency: 'EUR' },
});

/** Stores a change of the contact and its event, as ingestion does, and hands the event to the stream's use case. */
const change = async (contact: Contact, next: Contact, type: ContactEvent['type'] = 'order_completed') => {
  const event: ContactEvent = {
    id: world.ids.next(),
    contactId: contact.id,
    type,
    at: world.clock.now().toISOString(),
    data: {},
  };
  const stored = { ...next, version: contact.version + 1 };
  await world.contacts.update({
    contact: stored,
    expectedVersion: contact.version,
    consent: [],
    events: [event],
    messages: [],
  });
  world.drainInserts();
  return { contact: stored, outcome: await handleContactEvent(deps, event), event };
};

const segmentEvents = (contactId: string) =>
  world
    .eventsOf(contactId)
    .filter((event) => event.type === 'segment_entered' || event.type === 'segment_exited')
    .map((event) => ({ type: event.type, data: event.data }));

beforeEach(async () => {
  world = aWorld();
  deps = deploymentFor(world).advance;
  refresh = deps.segmentMembership;
  await world.segments.put(
    { id: 'big-spenders', name: 'Big spenders', condition: big, live: true },
    world.clock.now(),
  );
});

const aStoredContact = async () => {
  const contact = aContact();
  await world.contacts.create({ contact, consent: aConsentEntry(contact.id), messages: [] });
  return contact;
};

describe('when a change of the contact brings it into a live segment', () => {
  it('writes the marker and one segment_entered event naming the segment', async () => {
    const contact = await aStoredContact();

    const { outcome } = await change(contact, withRevenue(contact, 15_000));

    expect(outcome.segments).toEqual([{ segmentId: 'big-spenders', change: 'entered' }]);
    expect(segmentEvents(contact.id)).toEqual([
      { type: 'segment_entered', data: { segmentId: 'big-spenders', segmentName: 'Big spenders' } },
    ]);
    expect(await world.segmentMemberships.of(contact.id)).toEqual([
      { contactId: contact.id, segmentId: 'big-spenders', enteredAt: world.clock.now().toISOString() },
    ]);
  });

  it('writes nothing more while the contact stays in it', async () => {
    const contact = await aStoredContact();
    const first = await change(contact, withRevenue(contact, 15_000));

    const second = await change(first.contact, withRevenue(first.contact, 20_000));

    expect(second.outcome.segments).toEqual([]);
    expect(segmentEvents(contact.id)).toHaveLength(1);
  });

  it('writes one event when the same record is handled twice (a replay)', async () => {
    const contact = await aStoredContact();
    const { event } = await change(contact, withRevenue(contact, 15_000));

    const replayed = await handleContactEvent(deps, event);

    expect(replayed.segments).toEqual([]);
    expect(segmentEvents(contact.id)).toHaveLength(1);
  });
});

describe('when a change takes the contact out of a live segment', () => {
  it('deletes the marker and writes segment_exited', async () => {
    const contact = await aStoredContact();
    const entered = await change(contact, withRevenue(contact, 15_000));

    const { outcome } = await change(entered.contact, withRevenue(entered.contact, 5_000), 'order_refunded');

    expect(outcome.segments).toEqual([{ segmentId: 'big-spenders', change: 'exited' }]);
    expect(segmentEvents(contact.id).map((event) => event.type)).toEqual([
      'segment_entered',
      'segment_exited',
    ]);
    expect(await world.segmentMemberships.of(contact.id)).toEqual([]);
  });

  it('exits once when two evaluations race (the nightly pass beside the stream)', async () => {
    const contact = await aStoredContact();
    const entered = await change(contact, withRevenue(contact, 15_000));
    const out = withRevenue(entered.contact, 0);

    const both = await Promise.all([
      refreshSegmentMembership(refresh, out),
      refreshSegmentMembership(refresh, out),
    ]);

    expect(both.flat()).toEqual([{ segmentId: 'big-spenders', change: 'exited' }]);
    expect(segmentEvents(contact.id).map((event) => event.type)).toEqual([
      'segment_entered',
      'segment_exited',
    ]);
  });
});

describe('when segments are not live', () => {
  it('evaluates none of them and writes nothing', async () => {
    await world.segments.put(
      { id: 'everyone', name: 'Everyone', condition: { 'contact.email': { $exists: true } }, live: false },
      world.clock.now(),
    );
    const contact = await aStoredContact();

    const { outcome } = await change(contact, withRevenue(contact, 15_000));

    expect(outcome.segments).toEqual([{ segmentId: 'big-spenders', change: 'entered' }]);
    expect(await world.segmentMemberships.of(contact.id)).toEqual([
      expect.objectContaining({ segmentId: 'big-spenders' }),
    ]);
  });
});

describe('when the event did not change the contact', () => {
  it.each(['product_viewed', 'track', 'segment_entered', 'segment_exited'] as const)(
    'does not evaluate segments on %s',
    async (type) => {
      const contact = await aStoredContact();
      await world.contacts.update({
        contact: { ...withRevenue(contact, 15_000), version: 2 },
        expectedVersion: 1,
        consent: [],
        events: [],
        messages: [],
      });

      const outcome = await handleContactEvent(deps, {
        id: world.ids.next(),
        contactId: contact.id,
        type,
        at: world.clock.now().toISOString(),
        data: { segmentId: 'big-spenders' },
      });

      expect(outcome.segments).toEqual([]);
      expect(await world.segmentMemberships.of(contact.id)).toEqual([]);
    },
  );
});

describe('when a live segment cannot be evaluated on a contact', () => {
  it('reports it and still evaluates the others', async () => {
    const contact = await aStoredContact();
    const broken: RefreshSegmentMembershipDeps = {
      ...refresh,
      liveSegments: async () => [
        {
          id: 'broken',
          name: 'Broken',
          // Saved before validation refused it: an operator sift does not know.
          condition: { 'contact.email': { $nonsense: 1 } },
          live: true,
          createdAt: '2026-11-01T00:00:00.000Z',
          updatedAt: '2026-11-01T00:00:00.000Z',
          version: 1,
        },
        ...(await refresh.liveSegments()),
      ],
    };

    const changes = await refreshSegmentMembership(broken, withRevenue(contact, 15_000));

    expect(changes).toEqual([
      { segmentId: 'broken', change: 'failed', error: expect.any(String) },
      { segmentId: 'big-spenders', change: 'entered' },
    ]);
  });
});

describe('when a journey starts on entering a segment', () => {
  const onEntering = (id: string, segmentId: string) =>
    JourneyDefinition.parse({
      id,
      name: id,
      trigger: { event: 'segment_entered', condition: { 'event.data.segmentId': segmentId } },
      start: 'hello',
      nodes: [{ id: 'hello', type: 'send_email', template: 'welcome' }],
    });

  /** What the stream hands the journeys function, until nothing new is written. */
  const settle = async () => {
    const handled: ContactEvent[] = [];
    for (let inserts = world.drainInserts(); inserts.length > 0; inserts = world.drainInserts()) {
      for (const insert of inserts) {
        if (insert.kind !== 'event') continue;
        handled.push(insert.event);
        await handleContactEvent(deps, insert.event);
      }
    }
    return handled;
  };

  it('enrolls the contact in the journeys whose trigger names that segment, once', async () => {
    await world.journeys.publish(onEntering('vip-welcome', 'big-spenders'), world.clock.now());
    await world.journeys.publish(onEntering('other-welcome', 'someone-else'), world.clock.now());
    const contact = await aStoredContact();
    const { event } = await change(contact, withRevenue(contact, 15_000));

    await settle();
    await handleContactEvent(deps, event);
    await settle();

    const enrollments = await world.enrollments.listForContact(contact.id);
    expect(enrollments.map((enrollment) => enrollment.journeyId)).toEqual(['vip-welcome']);
  });
});

describe('the nightly pass over the live segments', () => {
  const runJobs = () => runJourneyJobs(jobDepsFor(world), { outOfTime: () => false, pageSize: 2 });
  const passDeps = () => ({ segments: world.segments, jobs: world.jobs, ids: world.ids, clock: world.clock });

  it('takes out the contacts a relative date no longer matches, with no event of theirs', async () => {
    await world.segments.put(
      {
        id: 'recent-buyers',
        name: 'Recent buyers',
        condition: { 'contact.customer.lastPurchaseAt': { $within: '-P30D' } },
        live: true,
      },
      world.clock.now(),
    );
    const contact = await aStoredContact();
    const bought = withRevenue(contact, 1_000);
    await change(contact, {
      ...bought,
      customer: {
        ...emptyCustomerCard(),
        ...bought.customer,
        lastPurchaseAt: world.clock.now().toISOString(),
      },
    });
    for (let n = 0; n < 4; n += 1) await aStoredContact();
    world.clock.advance(31 * 86_400_000);

    const pass = await startLiveSegmentPass(passDeps());
    const progress = await runJobs();

    expect(pass.status).toBe('filed');
    expect(progress).toEqual([
      expect.objectContaining({
        kind: 'segment-refresh',
        status: 'done',
        counts: { seen: 5, changed: 1, unchanged: 4 },
      }),
    ]);
    expect(segmentEvents(contact.id)).toEqual([
      { type: 'segment_entered', data: { segmentId: 'recent-buyers', segmentName: 'Recent buyers' } },
      { type: 'segment_exited', data: { segmentId: 'recent-buyers', segmentName: 'Recent buyers' } },
    ]);
  });

  it('files no pass without live segments, and none while the last one runs', async () => {
    await world.segments.delete('big-spenders');
    expect(await startLiveSegmentPass(passDeps())).toEqual({ status: 'skipped', reason: 'no live segments' });

    await world.segments.put(
      { id: 'big-spenders', name: 'Big spenders', condition: big, live: true },
      world.clock.now(),
    );
    const first = await startLiveSegmentPass(passDeps());
    const second = await startLiveSegmentPass(passDeps());

    expect(first.status).toBe('filed');
    expect(second).toEqual({
      status: 'skipped',
      reason: 'the last pass is still running',
      jobId: first.status === 'filed' ? first.job.id : '',
    });
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryStatsStore } from '../../../lib/adapters/memory/memory-stats-store.js';
import type { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { type AdvanceJourneysDeps, advanceJourneys } from '../../../lib/app/advance-journeys.js';
import { journeyReportOf } from '../../../lib/app/journey-report.js';
import type { ManageJourneysDeps } from '../../../lib/app/manage-journeys.js';
import { journeyReport } from '../../../lib/domain/attribution.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import type { Enrollment } from '../../../lib/domain/enrollment.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { aContact, aSignup, newId } from '../../support/builders.js';
import { adminStoresFor, advanceDepsFor, aWorld } from './support/worlds.js';

/**
 * A one-send journey with a holdout and a purchase goal: the enrollment is
 * finished the moment it starts, so every conversion it ever has comes after.
 */
const offer = JourneyDefinition.parse({
  id: 'offer',
  name: 'Offer',
  trigger: { event: 'track', condition: { 'event.data.name': 'Quiz Finished' } },
  entry: { reentry: 'always' },
  goal: { event: 'order_completed', within: 'P30D' },
  holdout: 50,
  start: 'hello',
  nodes: [{ id: 'hello', type: 'send_email', template: 'welcome' }],
});

const entryDay = '2026-11-02';
let deps: AdvanceJourneysDeps;
let admin: ManageJourneysDeps;
let stats: MemoryStatsStore;
let time: { clock: VirtualClock; set: (at: string) => void };

beforeEach(async () => {
  const world = aWorld(`${entryDay}T09:00:00Z`, 4);
  time = { clock: world.clock, set: (at) => world.clock.set(at) };
  stats = world.stats;
  await world.journeys.publish(offer, time.clock.now());
  deps = advanceDepsFor(world);
  admin = { ...adminStoresFor(world), clock: time.clock };
});

const newContact = async (): Promise<string> => {
  const contact = aContact();
  await deps.contacts.create(aSignup(contact));
  return contact.id;
};

const event = (
  contactId: string,
  type: ContactEvent['type'],
  data: Record<string, unknown>,
): ContactEvent => ({
  id: newId(),
  contactId,
  type,
  at: time.clock.now().toISOString(),
  data,
});
const quiz = (contactId: string) => event(contactId, 'track', { name: 'Quiz Finished', properties: {} });
const order = (contactId: string, revenue: number) =>
  event(contactId, 'order_completed', { orderId: newId(), revenue, total: revenue, products: [] });

const enrollmentsOf = async (contactId: string): Promise<Enrollment[]> =>
  (await deps.enrollments.listForContact(contactId)).filter((e) => e.journeyId === 'offer');

const groupOf = async (contactId: string) => (await enrollmentsOf(contactId))[0]?.group ?? 'treatment';

describe('when a purchase comes after a one-send journey has finished', () => {
  it('records the goal within the window, once, on the enrollment and in the counters', async () => {
    const contactId = await newContact();
    await advanceJourneys(deps, quiz(contactId));
    const [entered] = await enrollmentsOf(contactId);
    expect(entered).toMatchObject({ status: 'completed' });
    const group = entered?.group ?? 'treatment';

    time.set('2026-11-09T12:00:00Z');
    const bought = order(contactId, 25);
    expect(await advanceJourneys(deps, bought)).toEqual([
      {
        journeyId: 'offer',
        enrollmentId: entered?.id,
        outcome: 'advanced',
        status: 'completed',
        messages: 0,
      },
    ]);
    expect(await enrollmentsOf(contactId)).toEqual([
      {
        ...entered,
        goalReachedAt: '2026-11-09T12:00:00.000Z',
        updatedAt: '2026-11-09T12:00:00.000Z',
        version: 2,
      },
    ]);

    // The same order redelivered, and a second order: the enrollment converted once.
    expect(await advanceJourneys(deps, bought)).toEqual([]);
    time.set('2026-11-10T12:00:00Z');
    expect(await advanceJourneys(deps, order(contactId, 40))).toEqual([]);

    expect(await stats.read('journey:offer', '2026-11-09')).toEqual({
      [`goal:${group}`]: 1,
      [`goal-revenue-minor:${group}`]: 2500,
    });
    expect(await stats.read('journey:offer', '2026-11-10')).toEqual({});
    expect(await stats.read('journey:offer', entryDay)).toMatchObject({
      [`entered:${group}`]: 1,
      [`members:${group}`]: 1,
      [`converted:${group}`]: 1,
      [`converted-revenue-minor:${group}`]: 2500,
    });
  });

  it('does not record a purchase after the window closed', async () => {
    const contactId = await newContact();
    await advanceJourneys(deps, quiz(contactId));
    time.set('2026-12-02T09:00:01Z');
    expect(await advanceJourneys(deps, order(contactId, 25))).toEqual([]);
    expect((await enrollmentsOf(contactId))[0]?.goalReachedAt).toBeUndefined();
  });

  it('converts a finished enrollment while a later one runs and holds the journey’s active marker', async () => {
    // One enrollment at a time, waiting a day; `topics_changed` ends it early.
    await deps.journeys.publish(
      JourneyDefinition.parse({
        ...offer,
        id: 'slow-offer',
        exit_when: [{ event: 'topics_changed' }],
        start: 'pause',
        nodes: [
          { id: 'pause', type: 'wait', duration: 'P1D', next: 'hello' },
          { id: 'hello', type: 'send_email', template: 'welcome' },
        ],
      }),
      time.clock.now(),
    );
    const contactId = await newContact();
    await advanceJourneys(deps, quiz(contactId));
    await advanceJourneys(deps, event(contactId, 'topics_changed', {}));
    await advanceJourneys(deps, quiz(contactId));
    const before = (await deps.enrollments.listForContact(contactId)).filter(
      (e) => e.journeyId === 'slow-offer',
    );
    expect(before.map((e) => [e.status, e.holdsActiveMarker])).toEqual(
      expect.arrayContaining([
        ['exited', true],
        ['active', true],
      ]),
    );

    const outcomes = await advanceJourneys(deps, order(contactId, 10));

    expect(outcomes.filter((o) => o.journeyId === 'slow-offer')).toHaveLength(2);
    const after = (await deps.enrollments.listForContact(contactId)).filter(
      (e) => e.journeyId === 'slow-offer',
    );
    expect(after.map((e) => e.goalReachedAt)).toEqual([
      time.clock.now().toISOString(),
      time.clock.now().toISOString(),
    ]);
    expect(after.find((e) => e.status === 'active')?.holdsActiveMarker).toBe(true);
  });
});

describe('the holdout report', () => {
  it('counts contacts as members and conversions, and re-entries as enrollments', async () => {
    // Six contacts; the first two finish the quiz twice (two enrollments each); four of them buy.
    const contacts = await Promise.all(Array.from({ length: 6 }, newContact));
    for (const contactId of contacts) await advanceJourneys(deps, quiz(contactId));
    time.set(`${entryDay}T15:00:00Z`);
    for (const contactId of contacts.slice(0, 2)) await advanceJourneys(deps, quiz(contactId));
    time.set('2026-11-05T10:00:00Z');
    const spend = [30, 12.5, 0, 8, 0, 20];
    for (const [index, contactId] of contacts.entries()) {
      const revenue = spend[index] ?? 0;
      if (revenue > 0) await advanceJourneys(deps, order(contactId, revenue));
    }

    const report = await journeyReportOf(admin, 'offer', { from: entryDay, to: '2026-11-05' }, 'EUR');

    const groups = await Promise.all(contacts.map(groupOf));
    const expected = (group: 'treatment' | 'control') => {
      const members = contacts.filter((_, index) => groups[index] === group);
      const buyers = members.filter((contactId) => (spend[contacts.indexOf(contactId)] ?? 0) > 0);
      const twice = contacts.slice(0, 2).filter((contactId) => members.includes(contactId));
      const boughtTwice = twice.filter((contactId) => buyers.includes(contactId));
      return {
        outcome: {
          members: members.length,
          conversions: buyers.length,
          revenue: buyers.reduce((sum, contactId) => sum + (spend[contacts.indexOf(contactId)] ?? 0), 0),
        },
        enrollments: {
          entered: members.length + twice.length,
          converted: buyers.length + boughtTwice.length,
        },
      };
    };
    const treatment = expected('treatment');
    const control = expected('control');
    expect(report.holdout).toEqual(journeyReport({ treatment: treatment.outcome, control: control.outcome }));
    expect(report.enrollments).toEqual({ treatment: treatment.enrollments, control: control.enrollments });
    expect(report.holdout.treatment.members + report.holdout.control.members).toBe(6);
    expect(report.enrollments.treatment.entered + report.enrollments.control.entered).toBe(8);
  });
});

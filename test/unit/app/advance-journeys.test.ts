import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type AdvanceJourneysDeps, advanceJourneys } from '../../../lib/app/advance-journeys.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { JourneyDefinition, StoredJourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { EnrollmentStore } from '../../../lib/ports/enrollment-store.js';
import { aContact, aSignup, newId } from '../../support/builders.js';
import { advanceDepsFor, aWorld } from './support/worlds.js';

const day = '2026-11-23';
const definition = JourneyDefinition.parse({
  id: 'nudge',
  name: 'Nudge',
  trigger: { event: 'signup_confirmed' },
  start: 'pause',
  nodes: [
    { id: 'pause', type: 'wait', duration: 'PT1H', next: 'hello' },
    { id: 'hello', type: 'send_email', template: 'welcome' },
  ],
});

let world: MemoryWorld;
let deps: AdvanceJourneysDeps;
let contactId: string;

beforeEach(async () => {
  world = aWorld(`${day}T08:00:00Z`, 4);
  deps = advanceDepsFor(world);
  await world.journeys.publish(definition, world.clock.now());
  const contact = aContact();
  contactId = contact.id;
  await world.contacts.create(aSignup(contact));
});

const confirmed = (): ContactEvent => ({
  id: newId(),
  contactId,
  type: 'signup_confirmed',
  at: world.clock.now().toISOString(),
  data: {},
});

const timerEvent = (enrollmentId: string): ContactEvent => ({
  id: `timer-${enrollmentId}`,
  contactId,
  type: 'timer',
  at: world.clock.now().toISOString(),
  data: {
    id: `nudge#${enrollmentId}#pause#1`,
    dueAt: '2026-11-23T09:00:00.000Z',
    journeyId: 'nudge',
    enrollmentId,
    nodeId: 'pause',
    visit: 1,
  },
});

describe('advancing journeys from events', () => {
  it('enters, waits, and sends when the timer fires, counting each node once even when events repeat', async () => {
    const trigger = confirmed();
    const [entered] = await advanceJourneys(deps, trigger);
    expect(entered).toMatchObject({ journeyId: 'nudge', outcome: 'started', messages: 0 });
    expect(await advanceJourneys(deps, trigger)).toEqual([
      expect.objectContaining({ journeyId: 'nudge', outcome: 'already-started' }),
    ]);

    await world.clock.sleep(3_600_000);
    const fired = timerEvent(trigger.id);
    expect(await advanceJourneys(deps, fired)).toEqual([
      expect.objectContaining({ outcome: 'advanced', status: 'completed', messages: 1 }),
    ]);
    expect(await advanceJourneys(deps, fired)).toEqual([]);

    expect(await world.outbox.get(contactId, `nudge#${trigger.id}#hello#1`)).toMatchObject({
      status: 'queued',
    });
    expect(await world.stats.read('journey:nudge', day)).toEqual({
      'entered:treatment': 1,
      'members:treatment': 1,
      completed: 1,
      'node:pause:entered': 1,
      'node:hello:entered': 1,
    });
  });
});

describe('when one journey on a trigger cannot run', () => {
  /** Stored before publishing refused timeouts past P20Y: readable, but it cannot set its timer. */
  const broken = StoredJourneyDefinition.parse({
    id: 'broken',
    name: 'Broken',
    trigger: { event: 'signup_confirmed' },
    start: 'ask',
    nodes: [
      {
        id: 'ask',
        type: 'wait_for_event',
        event: 'order_completed',
        timeout: 'P999999999Y',
        next: 'done',
        timeout_next: 'done',
      },
      { id: 'done', type: 'exit' },
    ],
  });

  it('records the failure against that journey and still runs the others', async () => {
    await deps.journeys.publish(broken, world.clock.now());

    const outcomes = await advanceJourneys(deps, confirmed());

    expect(outcomes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ journeyId: 'nudge', outcome: 'started' }),
        expect.objectContaining({
          journeyId: 'broken',
          outcome: 'failed',
          error: expect.stringContaining('DateOutOfRangeError'),
        }),
      ]),
    );
    const enrollments = await deps.enrollments.listForContact(contactId);
    expect(enrollments.map((enrollment) => enrollment.journeyId)).toEqual(['nudge']);
    expect((await world.stats.read('journey:broken', day)).errors).toBe(1);
  });

  it('ends a running enrollment whose next step fails, with the error as its reason', async () => {
    const running = StoredJourneyDefinition.parse({
      ...broken,
      id: 'later',
      start: 'pause',
      nodes: [{ id: 'pause', type: 'wait', duration: 'PT1H', next: 'ask' }, ...broken.nodes],
    });
    await deps.journeys.publish(running, world.clock.now());
    await advanceJourneys(deps, confirmed());
    const waiting = (await deps.enrollments.listForContact(contactId)).find((e) => e.journeyId === 'later');
    if (waiting === undefined) throw new Error('not enrolled');
    await world.clock.sleep(3_600_000);
    const fired = timerEvent(waiting.id);

    const outcomes = await advanceJourneys(deps, {
      ...fired,
      data: { ...fired.data, id: `later#${waiting.id}#pause#1`, journeyId: 'later' },
    });

    expect(outcomes).toEqual([expect.objectContaining({ journeyId: 'later', outcome: 'failed' })]);
    const ended = (await deps.enrollments.listForContact(contactId)).find((e) => e.id === waiting.id);
    expect(ended).toMatchObject({
      status: 'exited',
      exitReason: expect.stringContaining('failed: DateOutOfRangeError'),
    });
  });
});

describe('a trigger that finds the contact in a one-at-a-time journey', () => {
  const ordered = (): ContactEvent => ({
    id: newId(),
    contactId,
    type: 'order_completed',
    at: world.clock.now().toISOString(),
    data: {},
  });
  const oneAtATime = (exitOnTrigger: boolean) =>
    JourneyDefinition.parse({
      id: 'one-at-a-time',
      name: 'One at a time',
      trigger: { event: 'order_completed' },
      entry: { reentry: 'always', concurrent: false },
      exit_when: exitOnTrigger ? [{ event: 'order_completed' }] : [],
      start: 'quiet',
      nodes: [
        { id: 'quiet', type: 'wait', duration: 'P30D', next: 'hello' },
        { id: 'hello', type: 'send_email', template: 'welcome' },
      ],
    });
  /** The enrollments whose start was sent to the store. */
  const startsTried = (store: EnrollmentStore) => {
    const tried: string[] = [];
    const counting: EnrollmentStore = {
      start: (enrollment, effects, rules) => {
        tried.push(enrollment.id);
        return store.start(enrollment, effects, rules);
      },
      advance: (enrollment, expectedVersion, effects) => store.advance(enrollment, expectedVersion, effects),
      listForContact: (id) => store.listForContact(id),
      activePage: (journeyId, cursor, limit) => store.activePage(journeyId, cursor, limit),
    };
    return { tried, counting };
  };

  it('answers already-active without trying a start the active marker would refuse', async () => {
    await world.journeys.publish(oneAtATime(false), world.clock.now());
    const { tried, counting } = startsTried(deps.enrollments);
    const counted = { ...deps, enrollments: counting };
    const first = ordered();
    expect(await advanceJourneys(counted, first)).toEqual([
      expect.objectContaining({ journeyId: 'one-at-a-time', outcome: 'started' }),
    ]);

    await world.clock.sleep(86_400_000);
    expect(await advanceJourneys(counted, ordered())).toEqual([
      expect.objectContaining({ journeyId: 'one-at-a-time', outcome: 'already-active', messages: 0 }),
    ]);
    // A replay of the trigger is still told apart from another entry.
    expect(await advanceJourneys(counted, first)).toEqual([
      expect.objectContaining({ journeyId: 'one-at-a-time', outcome: 'already-started' }),
    ]);
    expect(tried).toEqual([first.id]);
    expect((await world.enrollments.listForContact(contactId)).map((e) => e.id)).toEqual([first.id]);
  });

  it('still starts a new enrollment when the same event ended the running one', async () => {
    await world.journeys.publish(oneAtATime(true), world.clock.now());
    const first = ordered();
    await advanceJourneys(deps, first);

    await world.clock.sleep(86_400_000);
    const second = ordered();
    expect(await advanceJourneys(deps, second)).toEqual([
      expect.objectContaining({ enrollmentId: first.id, outcome: 'advanced', status: 'exited' }),
      expect.objectContaining({ enrollmentId: second.id, outcome: 'started' }),
    ]);
  });
});

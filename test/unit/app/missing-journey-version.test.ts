import { beforeEach, describe, expect, it } from 'vitest';
import { enrollmentItem } from '../../../lib/adapters/dynamodb/items.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { advanceJourneys } from '../../../lib/app/advance-journeys.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { JourneyVersionMissingError } from '../../../lib/domain/errors.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { aContact, anEnrollment, aSignup, newId } from '../../support/builders.js';
import { advanceDepsFor, aWorld } from './support/worlds.js';

const journey = (id: string, trigger: string, name = id) =>
  JourneyDefinition.parse({
    id,
    name,
    trigger: { event: trigger },
    start: 'pause',
    nodes: [
      { id: 'pause', type: 'wait', duration: 'PT1H', next: 'hello' },
      { id: 'hello', type: 'send_email', template: 'welcome' },
    ],
  });

let world: MemoryWorld;
let contactId: string;

beforeEach(async () => {
  world = aWorld('2026-11-23T08:00:00Z', 4);
  await world.journeys.publish(journey('nudge', 'signup_confirmed'), world.clock.now());
  // Only version 1 of "lost" is in the table; the enrollment below runs on version 2.
  await world.journeys.publish(journey('lost', 'order_completed'), world.clock.now());
  const contact = aContact();
  contactId = contact.id;
  await world.contacts.create(aSignup(contact));
  world.table.write({
    put: enrollmentItem(anEnrollment(contactId, { journeyId: 'lost', journeyVersion: 2 })),
  });
});

const confirmed = (): ContactEvent => ({
  id: newId(),
  contactId,
  type: 'signup_confirmed',
  at: world.clock.now().toISOString(),
  data: {},
});

const enrollmentsIn = async (journeyId: string) =>
  (await world.enrollments.listForContact(contactId)).filter(
    (enrollment) => enrollment.journeyId === journeyId,
  );

describe('when an enrollment runs on a journey version the table does not hold', () => {
  it('fails the event with that, naming the version, once the other journeys have handled it', async () => {
    const event = confirmed();

    await expect(advanceJourneys(advanceDepsFor(world), event)).rejects.toThrow(
      new JourneyVersionMissingError(
        `enrollment ${(await enrollmentsIn('lost'))[0]?.id} of contact ${contactId} runs on journey lost version 2, which the table does not hold`,
      ),
    );
    expect(await enrollmentsIn('nudge')).toEqual([expect.objectContaining({ status: 'active' })]);
    expect(await enrollmentsIn('lost')).toEqual([
      expect.objectContaining({ status: 'active', journeyVersion: 2 }),
    ]);
  });

  it('handles the event again once the version is back, without starting what it started before', async () => {
    const event = confirmed();
    await expect(advanceJourneys(advanceDepsFor(world), event)).rejects.toThrow(JourneyVersionMissingError);

    const republished = await world.journeys.publish(
      journey('lost', 'order_completed', 'lost, published again'),
      world.clock.now(),
    );
    expect(republished).toMatchObject({ version: 2 });

    expect(await advanceJourneys(advanceDepsFor(world), event)).toEqual(
      expect.arrayContaining([expect.objectContaining({ journeyId: 'nudge', outcome: 'already-started' })]),
    );
    expect(await enrollmentsIn('nudge')).toHaveLength(1);
  });
});

import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { toLambdaRecord } from '../../../infra/local/stream-poller.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import type { HandleContactEventDeps } from '../../../lib/app/handle-contact-event.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { aContact, aSignup } from '../../support/builders.js';
import { advanceDepsFor, aWorld } from '../app/support/worlds.js';
import { stubHandlerEnv } from './support/handler-env.js';

type Consumer = typeof import('../../../functions/stream/journeys.js')['journeysConsumer'];
let journeysConsumer: Consumer;

beforeAll(async () => {
  // The module builds its own DynamoDB dependencies at load (nothing is reached); the tests give it a world's.
  stubHandlerEnv();
  ({ journeysConsumer } = await import('../../../functions/stream/journeys.js'));
});

afterAll(() => {
  vi.unstubAllEnvs();
});

const context = lambdaContext({ functionName: 'journeys', memoryMb: 512, timeoutSeconds: 30 }, 'us-east-1');
const streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/rapport/stream/2026-11-23T00:00:00.000';

/** Enters on confirmation, waits an hour, then mails; an unsubscribe ends it wherever it is. */
const nudge = JourneyDefinition.parse({
  id: 'nudge',
  name: 'Nudge',
  trigger: { event: 'signup_confirmed' },
  entry: { reentry: 'always', concurrent: true },
  exit_when: [{ event: 'unsubscribed' }],
  start: 'pause',
  nodes: [
    { id: 'pause', type: 'wait', duration: 'PT1H', next: 'hello' },
    { id: 'hello', type: 'send_email', template: 'welcome' },
  ],
});

const aNudgeWorld = async (contacts: number): Promise<{ world: MemoryWorld; ids: string[] }> => {
  const world = aWorld();
  await world.journeys.publish(nudge, world.clock.now());
  const ids: string[] = [];
  for (let index = 0; index < contacts; index += 1) {
    const contact = aContact();
    await world.contacts.create(aSignup(contact));
    ids.push(contact.id);
  }
  return { world, ids };
};

let eventNumber = 0;
const nextEventId = (): string => {
  eventNumber += 1;
  return `ev-${String(eventNumber).padStart(6, '0')}`;
};
const anEvent = (world: MemoryWorld, contactId: string, type: 'signup_confirmed' | 'unsubscribed') => ({
  id: nextEventId(),
  contactId,
  type,
  at: world.clock.now().toISOString(),
  data: {},
});

/** The events written to the world's table, as the stream hands their INSERTs to the function. */
const recordsOf = async (world: MemoryWorld, events: readonly ContactEvent[]): Promise<DynamoDBRecord[]> => {
  const records: DynamoDBRecord[] = [];
  const stop = world.table.subscribe((change) => {
    if (change.eventName !== 'INSERT' || change.newImage === undefined) return;
    records.push(
      toLambdaRecord(
        {
          eventID: String(change.sequence),
          eventName: 'INSERT',
          dynamodb: {
            Keys: marshall(change.keys),
            NewImage: marshall(change.newImage, { removeUndefinedValues: true }),
            SequenceNumber: String(change.sequence).padStart(21, '0'),
            StreamViewType: 'NEW_AND_OLD_IMAGES',
          },
        },
        streamArn,
        'us-east-1',
      ),
    );
  });
  try {
    for (const event of events) await world.events.append(event);
  } finally {
    stop();
  }
  return records;
};

/** An INSERT under a contact whose image is no event: its decoding fails, as a poison record's would. */
const anUndecodableRecord = (contactId: string): DynamoDBRecord => ({
  eventID: 'broken',
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  eventSourceARN: streamArn,
  dynamodb: {
    Keys: { PK: { S: `C#${contactId}` }, SK: { S: 'EV#broken' } },
    NewImage: { PK: { S: `C#${contactId}` }, SK: { S: 'EV#broken' }, type: { S: 'order' } },
  },
});

/** The records as one shard's batch, numbered in the order given. */
const inStreamOrder = (records: ReadonlyArray<DynamoDBRecord | undefined>): DynamoDBRecord[] =>
  records
    .filter((record) => record !== undefined)
    .map((record, index) => ({
      ...record,
      dynamodb: { ...record.dynamodb, SequenceNumber: String(1000 + index).padStart(21, '0') },
    }));

const sequenceOf = (record: DynamoDBRecord | undefined): string => record?.dynamodb?.SequenceNumber ?? '';

const statusesOf = async (world: MemoryWorld, contactId: string) =>
  (await world.enrollments.listForContact(contactId))
    .map((enrollment) => ({ id: enrollment.id, status: enrollment.status }))
    .sort((a, b) => a.id.localeCompare(b.id));

/** Fails the test instead of letting it hang when what it waits for never comes. */
const within = <T>(ms: number, what: string, promise: Promise<T>): Promise<T> =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)),
  ]);

/** The world's deps with the contact read replaced: every event of the journeys consumer reads its contact first. */
const withContactRead = (
  world: MemoryWorld,
  read: (
    contactId: string,
    real: () => ReturnType<MemoryWorld['contacts']['get']>,
  ) => ReturnType<MemoryWorld['contacts']['get']>,
): HandleContactEventDeps => {
  const deps = advanceDepsFor(world);
  const contacts = Object.assign(Object.create(world.contacts), {
    get: (contactId: string) => read(contactId, () => world.contacts.get(contactId)),
  });
  return { ...deps, contacts, campaignGoals: { ...deps.campaignGoals, contacts } };
};

describe('the journeys consumer on a batch of several contacts', () => {
  it('handles two contacts’ events at once: the first contact’s waits until the second’s has begun', async () => {
    const { world, ids } = await aNudgeWorld(2);
    const [first = '', second = ''] = ids;
    let secondBegun: () => void = () => undefined;
    const secondHasBegun = new Promise<void>((resolve) => {
      secondBegun = resolve;
    });
    const deps = withContactRead(world, async (contactId, real) => {
      if (contactId === second) secondBegun();
      // One record at a time would wait here forever: the second contact's record comes after this one.
      if (contactId === first)
        await within(2_000, 'the second contact’s record did not begin', secondHasBegun);
      return real();
    });
    const records = await recordsOf(world, [
      anEvent(world, first, 'signup_confirmed'),
      anEvent(world, second, 'signup_confirmed'),
    ]);

    const response = await journeysConsumer(() => deps)({ Records: records }, context);

    expect(response).toEqual({ batchItemFailures: [] });
    for (const contactId of ids)
      expect(await statusesOf(world, contactId)).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it('handles one contact’s events in stream order, the next only once the one before has finished', async () => {
    const { world, ids } = await aNudgeWorld(2);
    const [slow = '', other = ''] = ids;
    let slowReads = 0;
    const deps = withContactRead(world, async (contactId, real) => {
      // The slow contact's entry takes longest: were its exit let through beside it, the exit would find nothing to end.
      if (contactId === slow && slowReads++ === 0) await new Promise((resolve) => setTimeout(resolve, 30));
      return real();
    });
    const entry = anEvent(world, slow, 'signup_confirmed');
    const records = await recordsOf(world, [
      entry,
      anEvent(world, other, 'signup_confirmed'),
      anEvent(world, slow, 'unsubscribed'),
    ]);

    expect(await journeysConsumer(() => deps)({ Records: records }, context)).toEqual({
      batchItemFailures: [],
    });
    expect(await statusesOf(world, slow)).toEqual([{ id: entry.id, status: 'exited' }]);
    expect(await statusesOf(world, other)).toEqual([expect.objectContaining({ status: 'active' })]);
  });

  it('stops a contact at its failed record and goes on with the others, reporting every record from it on', async () => {
    const { world, ids } = await aNudgeWorld(2);
    const [failing = '', other = ''] = ids;
    const firstEntry = anEvent(world, failing, 'signup_confirmed');
    const otherEntry = anEvent(world, other, 'signup_confirmed');
    const secondEntry = anEvent(world, failing, 'signup_confirmed');
    const otherExit = anEvent(world, other, 'unsubscribed');
    const [a1, b1, a3, b2] = await recordsOf(world, [firstEntry, otherEntry, secondEntry, otherExit]);
    const a2 = anUndecodableRecord(failing);
    const records = inStreamOrder([a1, b1, a2, a3, b2]);

    const response = await journeysConsumer(() => advanceDepsFor(world))({ Records: records }, context);

    expect(response).toEqual({
      batchItemFailures: records.slice(2).map((record) => ({ itemIdentifier: sequenceOf(record) })),
    });
    // A2, A3 and B2: A3 waited behind A2; B2 ran all the same, and is handed over again to find itself done.
    expect(await statusesOf(world, failing)).toEqual([{ id: firstEntry.id, status: 'active' }]);
    expect(await statusesOf(world, other)).toEqual([{ id: otherEntry.id, status: 'exited' }]);
  });

  it('fails the invocation when the batch’s first record fails, so the mapping bisects it, the others done all the same', async () => {
    const { world, ids } = await aNudgeWorld(2);
    const [failing = '', other = ''] = ids;
    const otherEntry = anEvent(world, other, 'signup_confirmed');
    const [b1] = await recordsOf(world, [otherEntry]);
    const records = inStreamOrder([anUndecodableRecord(failing), b1]);

    await expect(
      journeysConsumer(() => advanceDepsFor(world))({ Records: records }, context),
    ).rejects.toThrow(/first record/);
    expect(await statusesOf(world, other)).toEqual([{ id: otherEntry.id, status: 'active' }]);
  });
});

describe('the journeys consumer, whatever the interleaving of contacts in a batch', () => {
  it('leaves every contact’s enrollments as handling the batch one record at a time does', async () => {
    const step = fc.record({ contact: fc.nat(3), type: fc.constantFrom('signup_confirmed', 'unsubscribed') });
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.array(fc.nat(3), { maxLength: 40 }),
        async (steps, delays) => {
          const outcome = async (concurrently: boolean) => {
            const { world, ids } = await aNudgeWorld(4);
            let read = 0;
            // Reads finish in an order of the property's choosing, so contacts overtake one another.
            const deps = withContactRead(world, async (_contactId, real) => {
              const delay = delays[read++ % Math.max(1, delays.length)] ?? 0;
              await new Promise((resolve) => setTimeout(resolve, delay));
              return real();
            });
            eventNumber = 0;
            const records = await recordsOf(
              world,
              steps.map(({ contact, type }) => anEvent(world, ids[contact] ?? '', type)),
            );
            const consumer = journeysConsumer(() => deps);
            if (concurrently) await consumer({ Records: records }, context);
            else for (const record of records) await consumer({ Records: [record] }, context);
            return Promise.all(ids.map((contactId) => statusesOf(world, contactId)));
          };
          expect(await outcome(true)).toEqual(await outcome(false));
        },
      ),
      { numRuns: 30 },
    );
  });
});

import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoJourneyStore } from '../../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { createTestTable } from '../support/table.js';

const welcome = JourneyDefinition.parse({
  id: 'welcome',
  name: 'Welcome',
  trigger: { event: 'signup_confirmed' },
  start: 'hello',
  nodes: [
    { id: 'hello', type: 'send_email', template: 'welcome', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

/** The DynamoDB journey store's reads; the behaviour of every journey store is in test/contracts. */
describe('reading a published journey version from DynamoDB', () => {
  it('reads each version from the table once, since a published version never changes', async () => {
    const table = await createTestTable();
    const versionReads: string[] = [];
    // A client that counts the version reads it passes on, and otherwise is the table's.
    const counting = DynamoDBDocumentClient.from(table.client);
    counting.middlewareStack.add(
      (next) => async (args) => {
        if (args.input !== null && typeof args.input === 'object' && 'Key' in args.input) {
          const key = JSON.stringify(args.input.Key);
          if (key === JSON.stringify(keys.journeyVersion('welcome', 1))) versionReads.push(key);
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const journeys = new DynamoJourneyStore(counting, table.tableName);
    await journeys.publish(welcome, new Date('2026-12-01T09:00:00.000Z'));

    const first = await journeys.getVersion('welcome', 1);
    const again = await journeys.getVersion('welcome', 1);
    const triggered = await journeys.activeForTrigger('signup_confirmed');

    expect(first?.definition.name).toBe('Welcome');
    expect(again).toEqual(first);
    expect(triggered).toEqual([first]);
    expect(versionReads).toHaveLength(1);
    // A version not published yet is asked for each time: it may be published a moment later.
    expect(await journeys.getVersion('welcome', 2)).toBeUndefined();
    await journeys.publish({ ...welcome, name: 'Welcome, again' }, new Date('2026-12-02T09:00:00.000Z'));
    expect((await journeys.getVersion('welcome', 2))?.definition.name).toBe('Welcome, again');
  });
});

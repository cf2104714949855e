import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { type LocalStack, repoRoot, startLocalStack } from '../../../infra/local/local-stack.js';
import { topology } from '../../../infra/topology.js';
import { createDynamoDbClient, documentClientFor } from '../../../lib/adapters/dynamodb/document-client.js';
import { DynamoTimerStore } from '../../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { timerEventId } from '../../../lib/domain/timer.js';
import { aTimer, eventsOf } from './timer-wheel-support.js';

/** Only the tick: the timer wheel's wiring is under test, not the journeys it wakes. */
const tickOnly = topology.filter((spec) => spec.name === 'tick');

let stack: LocalStack;
let store: DynamoTimerStore;
let table: Parameters<typeof eventsOf>[0];

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    sesPort: 0,
    eventBridgePort: 0,
    dynamoPort: 0,
    quiet: true,
    functions: tickOnly,
    entryRoot: repoRoot,
    periodicSchedules: false,
  });
  const client = createDynamoDbClient({
    region: localRegion,
    endpoint: stack.dynamoEndpoint,
    credentials: localCredentials,
  });
  const documentClient = documentClientFor(client);
  store = new DynamoTimerStore(documentClient, stack.tableName, 8);
  table = { tableName: stack.tableName, documentClient, client, endpoint: stack.dynamoEndpoint };
});

afterAll(async () => {
  await stack?.stop();
});

describe('the tick on the local runtime', () => {
  it('is wired as a schedule', () => {
    expect(stack.wiring.map((wired) => [wired.functionName, wired.kind])).toEqual([['tick', 'scheduler']]);
  });

  it('turns a due timer into a timer event when the stack ticks', async () => {
    const timer = aTimer(new Date(Date.now() - 1_000).toISOString());
    await store.schedule(timer);

    await stack.tick();

    expect(await eventsOf(table, timer.contactId)).toMatchObject([
      { id: timerEventId(timer), type: 'timer', data: { nodeId: timer.nodeId, dueAt: timer.dueAt } },
    ]);
  });

  it('leaves a timer that is not due yet', async () => {
    const timer = aTimer(new Date(Date.now() + 3_600_000).toISOString());
    await store.schedule(timer);

    await stack.tick();

    expect(await eventsOf(table, timer.contactId)).toEqual([]);
  });
});

import { ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { createDynamoDbClient, documentClientFor } from '../../../lib/adapters/dynamodb/document-client.js';
import { DynamoTimerStore } from '../../../lib/adapters/dynamodb/dynamo-timer-store.js';
import type { MessageTimer } from '../../../lib/domain/timer.js';
import { timerLocation } from '../../../lib/ports/timer-store.js';
import { aMessage } from '../../support/builders.js';
import { createTestTable } from '../support/table.js';
import { aTimer, at, eventsOf } from './timer-wheel-support.js';

const shards = 1;

/** A timer store whose client records each command and the write units DynamoDB says it consumed. */
const meteredStore = async () => {
  const table = await createTestTable();
  const client = createDynamoDbClient({
    region: localRegion,
    endpoint: table.endpoint,
    credentials: localCredentials,
  });
  const commands: { command: string; units: number }[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next({
        ...args,
        input: { ...(args.input ?? {}), ReturnConsumedCapacity: ReturnConsumedCapacity.TOTAL },
      });
      const consumed =
        typeof result.output === 'object' && result.output !== null && 'ConsumedCapacity' in result.output
          ? result.output.ConsumedCapacity
          : undefined;
      const units = (Array.isArray(consumed) ? consumed : [consumed]).reduce(
        (sum: number, entry: unknown) =>
          sum +
          (typeof entry === 'object' && entry !== null && 'CapacityUnits' in entry
            ? Number(entry.CapacityUnits)
            : 0),
        0,
      );
      commands.push({ command: context.commandName ?? 'unknown', units });
      return result;
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  const store = new DynamoTimerStore(documentClientFor(client), table.tableName, shards);
  return { table, store, commands };
};

describe('when the tick fires timers on DynamoDB', () => {
  it('reads the events in one request, writes them and removes the timers in batches outside a transaction: 1 + 1 units, not 2 + 2', async () => {
    const { table, store, commands } = await meteredStore();
    const dueAt = '2030-01-01T09:00:10.000Z';
    const timers = Array.from({ length: 30 }, () => aTimer(dueAt));
    const message = aMessage('contact-m', { key: 'news#1', kind: 'marketing' });
    const messageTimer: MessageTimer = {
      kind: 'message',
      id: 'msg#contact-m#news#1',
      contactId: 'contact-m',
      dueAt,
      message,
    };
    for (const timer of timers) await store.schedule(timer);
    await store.deferMessage(messageTimer, at('2030-01-01T08:00:00.000Z'));
    const location = timerLocation(messageTimer, shards);
    const due = await store.dueIn(location, at('2030-01-01T09:00:30.000Z'), 100);
    expect(due).toHaveLength(31);
    commands.length = 0;

    expect(await store.fire(due, at('2030-01-01T09:00:30.000Z'))).toEqual({ fired: 31, alreadyFired: 0 });

    const named = (name: string) => commands.filter(({ command }) => command === name);
    expect(named('TransactWriteItemsCommand')).toEqual([]);
    // The 30 events: read together, then put 25 to a call; the deferred message on its own, only if absent.
    expect(named('BatchGetItemCommand')).toHaveLength(1);
    expect(named('PutItemCommand')).toHaveLength(1);
    // Every item here is under 1 KB: one unit to write it, one to delete its timer.
    const writes = commands.filter(({ command }) => command !== 'BatchGetItemCommand');
    expect(writes.reduce((sum, { units }) => sum + units, 0)).toBe(62);
    // 1 read, 2 batches of event puts, 1 message put, 3 batches of deletes: 7 requests for 31 timers.
    expect(commands).toHaveLength(7);
    expect(await store.dueIn(location, at('2031-01-01T00:00:00.000Z'), 100)).toEqual([]);
    for (const timer of timers) expect(await eventsOf(table, timer.contactId)).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { createDeadLetterSink } from '../../../infra/local/dead-letter-sink.js';
import { DynamoDeadLetterStore } from '../../../lib/adapters/dynamodb/dynamo-dead-letter-store.js';
import { createTestTable } from '../support/table.js';

/** The local runtime's sink keeps what it is handed in the stack's table, where the admin API reads it too. */
describe('the local dead-letter sink', () => {
  it('keeps each entry in the table with its reason, so a sink started later lists it too', async () => {
    const table = await createTestTable();
    const store = new DynamoDeadLetterStore(table.documentClient, table.tableName);
    const printed: string[] = [];
    const sink = createDeadLetterSink({ store, print: (line) => printed.push(line) });
    const event = { id: 'evt-1', 'detail-type': 'Order Completed', detail: { orderId: 'A-1' } };

    sink.add({
      functionName: 'ingest-bus',
      redriveAs: 'event',
      record: event,
      reason: 'BusEventRejectedError: properties.products: is empty (gave up after 1 attempt)',
    });
    const afterRestart = createDeadLetterSink({ store, print: () => undefined });
    await sink.idle();

    expect(await afterRestart.list()).toEqual([
      {
        id: expect.stringMatching(/^[0-9A-Z]{26}$/),
        at: expect.any(String),
        functionName: 'ingest-bus',
        redriveAs: 'event',
        record: event,
        reason: 'BusEventRejectedError: properties.products: is empty (gave up after 1 attempt)',
        redrives: 0,
      },
    ]);
    expect(printed[0]).toMatch(/^\[dead letter\] ingest-bus: BusEventRejectedError: /);
    table.client.destroy();
  });

  it('prints an entry it could not keep, and says so, rather than losing it silently', async () => {
    const table = await createTestTable();
    const printed: string[] = [];
    const sink = createDeadLetterSink({
      store: new DynamoDeadLetterStore(table.documentClient, 'no-such-table'),
      print: (line) => printed.push(line),
    });

    sink.add({
      functionName: 'deliver',
      redriveAs: 'stream-record',
      record: { eventID: '1' },
      reason: 'poison',
    });
    await sink.idle();

    expect(printed).toEqual([
      '[dead letter] deliver: poison\n{"eventID":"1"}',
      expect.stringMatching(
        /^\[dead letter\] could not be kept, only printed above: ResourceNotFoundException/,
      ),
    ]);
    table.client.destroy();
  });
});

import { beforeEach, describe, expect, it } from 'vitest';

import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoIngestionStore } from '../../../lib/adapters/dynamodb/dynamo-ingestion-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { queryAll } from '../../../lib/adapters/dynamodb/query-all.js';
import { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { type IngestDeps, ingestBatch, ingestCall } from '../../../lib/app/ingest-events.js';
import { copierOrder } from '../../support/builders.js';
import { ingestDepsFor } from '../support/ingestion.js';
import { createTestTable, type TestTable } from '../support/table.js';

/**
 * Ingestion where DynamoDB itself is under test: conditional writes racing, and
 * what the table refuses to hold. The rest of ingestion runs on the memory
 * adapters in test/unit/app/ingest-events.test.ts.
 */
let table: TestTable;
let deps: IngestDeps;
let contacts: DynamoContactStore;
let store: DynamoIngestionStore;

beforeEach(async () => {
  table = await createTestTable();
  const { documentClient, tableName } = table;
  contacts = new DynamoContactStore(documentClient, tableName);
  store = new DynamoIngestionStore(documentClient, tableName);
  const catalog = new DynamoCatalogStore(documentClient, tableName);
  const at = '2026-01-01T00:00:00.000Z';
  await catalog.put(
    {
      sku: 'COPIER-9',
      name: 'Copier 9',
      category: 'copiers',
      price: 1200,
      currency: 'EUR',
      replacementCycleDays: 1460,
      createdAt: at,
      updatedAt: at,
    },
    undefined,
  );
  deps = ingestDepsFor({ documentClient, tableName }, new VirtualClock('2026-11-23T12:00:00Z'), {
    store,
    contacts,
    catalog,
  });
});

const itemsOf = async (contactId: string, prefix: string) =>
  queryAll(table.documentClient, {
    TableName: table.tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': prefix },
  });

describe('when the same call arrives several times at once', () => {
  it('stores it once and answers the others as duplicates', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => ingestCall(deps, copierOrder('m-same'), 'api')),
    );
    expect(outcomes.filter((o) => o.status === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(5);
    const contactId = await store.resolve({ kind: 'user', value: 'shop-42' });
    if (contactId === undefined) throw new Error('no contact');
    expect(await itemsOf(contactId, keys.orderPrefix)).toHaveLength(1);
    expect((await contacts.get(contactId))?.customer?.orders).toBe(1);
  });
});

describe('when calls hold what DynamoDB cannot store', () => {
  let deep: unknown = [];
  for (let level = 0; level < 100_000; level += 1) deep = [deep];
  let nestedTraits: Record<string, unknown> = { leaf: 1 };
  for (let level = 0; level < 30; level += 1) nestedTraits = { inner: nestedTraits };

  it('answers each "rejected", naming the field, never "failed" and retryable', async () => {
    const outcome = await ingestBatch(
      deps,
      {
        batch: [
          { ...copierOrder('m-big-1', 'B-1'), properties: { ...copierOrder('x').properties, total: 1e16 } },
          { type: 'identify', userId: 'shop-42', messageId: 'm-deep', traits: nestedTraits },
          { type: 'track', event: 'Deep', userId: 'shop-42', messageId: 'm-list', properties: { deep } },
          { type: 'track', event: 'Tiny', userId: 'shop-42', messageId: 'm-tiny', properties: { x: 1e-200 } },
          { type: 'identify', userId: 'shop-42', messageId: 'm-odd', traits: { constructor: 'kept' } },
        ],
      },
      1_000,
      'api',
    );

    expect(outcome.results.map((result) => result.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'accepted',
    ]);
    expect(outcome.results[0]).toMatchObject({
      errors: { 'properties.total': expect.stringContaining('2^53') },
    });
    const odd = outcome.results[4];
    if (odd?.status !== 'accepted') throw new Error('the identify was not accepted');
    expect((await contacts.get(odd.contactId))?.attributes).toEqual({ constructor: 'kept' });
  });

  it('rejects the call that would grow a profile past 400 KB, and keeps the profile readable', async () => {
    const answers = [];
    for (let call = 0; call < 15; call += 1) {
      const traits = { [`notes${call}`]: 'x'.repeat(30_000) };
      answers.push(
        await ingestCall(deps, { type: 'identify', userId: 'shop-7', messageId: `m-${call}`, traits }, 'api'),
      );
    }

    expect(answers.filter((answer) => answer.status === 'failed')).toEqual([]);
    expect(answers.at(-1)).toMatchObject({
      status: 'rejected',
      errors: { call: expect.stringContaining('cannot be stored') },
    });
    const first = answers[0];
    if (first?.status !== 'accepted') throw new Error('the first identify was not accepted');
    expect(await contacts.get(first.contactId)).toBeDefined();
  });
});

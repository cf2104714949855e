import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DamagedItem } from '../../../lib/adapters/dynamodb/damaged-items.js';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoCustomerValueStore } from '../../../lib/adapters/dynamodb/dynamo-customer-value-store.js';
import { DynamoEnrollmentStore } from '../../../lib/adapters/dynamodb/dynamo-enrollment-store.js';
import { DynamoJourneyJobStore } from '../../../lib/adapters/dynamodb/dynamo-journey-job-store.js';
import { DynamoPersonalDataStore } from '../../../lib/adapters/dynamodb/dynamo-personal-data-store.js';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import { eraseContact } from '../../../lib/app/erase-contact.js';
import { exportContact } from '../../../lib/app/export-contact.js';
import { type IngestDeps, ingestCall } from '../../../lib/app/ingest-events.js';
import { lookUpContactById } from '../../../lib/app/look-up-contact.js';
import { refreshCustomerValue } from '../../../lib/app/refresh-customer-value.js';
import { ingestDepsFor } from '../support/ingestion.js';
import { createTestTable, type TestTable } from '../support/table.js';

/**
 * Before timestamps were checked, an order dated 9999-12-31 for a product with a
 * replacement cycle stored `replacementDueAt: "+010000-06"` on the card, which the
 * contact schema refuses. That made the person unreadable, unexportable and
 * unerasable, and stopped the daily customer-value refresh for everyone. Profiles
 * stored that way are read around their damage.
 */
let table: TestTable;
let deps: IngestDeps;
let contacts: DynamoContactStore;
let damage: DamagedItem[];

const clock = new VirtualClock('2026-11-23T12:00:00Z');

const order = (messageId: string, userId: string, orderId: string) => ({
  type: 'track',
  event: 'Order Completed',
  userId,
  email: `${userId}@example.com`,
  messageId,
  timestamp: '2026-11-20T10:00:00Z',
  properties: { order_id: orderId, total: 40, products: [{ sku: 'FILTER', price: 40 }] },
});

const accepted = async (call: unknown): Promise<string> => {
  const outcome = await ingestCall(deps, call, 'api');
  if (outcome.status !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
  return outcome.contactId;
};

/** What the older code stored: a due date in the year 10000 and a count that is not a number. */
const damageCard = async (contactId: string) => {
  await table.documentClient.send(
    new UpdateCommand({
      TableName: table.tableName,
      Key: keys.contact(contactId),
      UpdateExpression: 'SET customer.ownedProducts[0].replacementDueAt = :due, customer.categories.#c = :c',
      ExpressionAttributeNames: { '#c': 'constructor' },
      ExpressionAttributeValues: { ':due': '+010000-06', ':c': 'function Object() { [native code] }1' },
    }),
  );
};

beforeEach(async () => {
  table = await createTestTable();
  const { documentClient, tableName } = table;
  damage = [];
  contacts = new DynamoContactStore(documentClient, tableName, (damaged) => damage.push(damaged));
  const catalog = new DynamoCatalogStore(documentClient, tableName);
  await catalog.put(
    {
      sku: 'FILTER',
      name: 'Water filter',
      category: 'filters',
      price: 40,
      currency: 'EUR',
      replacementCycleDays: 180,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    },
    undefined,
  );
  deps = ingestDepsFor({ documentClient, tableName }, clock, { contacts, catalog });
});

describe('when a stored profile holds a date past the year 9999', () => {
  it('reads the contact without the damaged fields and says which item it repaired', async () => {
    const contactId = await accepted(order('m-1', 'ann', 'O-1'));
    await damageCard(contactId);

    const contact = await contacts.get(contactId);

    expect(contact?.customer?.ownedProducts[0]).toMatchObject({ sku: 'FILTER' });
    expect(contact?.customer?.ownedProducts[0]?.replacementDueAt).toBeUndefined();
    expect(contact?.customer?.categories).toEqual({ filters: 1 });
    expect(damage).toEqual([
      expect.objectContaining({
        PK: `C#${contactId}`,
        SK: 'PROFILE',
        outcome: 'repaired',
        dropped: expect.arrayContaining([
          'customer.ownedProducts.0.replacementDueAt',
          'customer.categories.constructor',
        ]),
      }),
    ]);
  });

  it('still shows, exports and erases the person', async () => {
    const { documentClient, tableName } = table;
    const contactId = await accepted(order('m-1', 'ann', 'O-1'));
    await damageCard(contactId);
    const personalData = new DynamoPersonalDataStore(documentClient, tableName);
    const suppressions = new DynamoSuppressionStore(documentClient, tableName);
    const enrollments = new DynamoEnrollmentStore(documentClient, tableName, 2);

    const card = await lookUpContactById({ contacts, enrollments, suppressions, clock }, contactId);
    expect(card.contact.id).toBe(contactId);

    const exported = await exportContact({ personalData, suppressions, clock }, contactId);
    // The export shows what is stored, damage included: it is the person's data as held.
    expect(exported.profile).toMatchObject({
      customer: { ownedProducts: [expect.objectContaining({ replacementDueAt: '+010000-06' })] },
    });

    const erased = await eraseContact({ personalData, suppressions, clock }, contactId);
    expect(erased.status).toBe('erased');
    expect(await personalData.partition(contactId)).toEqual([]);
  });

  it('takes later calls for the person, a refund included, and heals the card on the next write', async () => {
    const contactId = await accepted(order('m-1', 'ann', 'O-1'));
    await damageCard(contactId);

    const refund = await ingestCall(
      deps,
      {
        type: 'track',
        event: 'Order Refunded',
        userId: 'ann',
        messageId: 'm-2',
        timestamp: '2026-11-21T10:00:00Z',
        properties: { order_id: 'O-1' },
      },
      'api',
    );

    expect(refund).toMatchObject({ status: 'accepted', contactId });
    damage.length = 0;
    expect((await contacts.get(contactId))?.customer).toMatchObject({ revenue: 0, refunds: 1 });
    expect(damage).toEqual([]);
  });
});

describe('when one contact cannot be read at all', () => {
  it('leaves it out of the customer-value refresh, reports its key, and refreshes everyone else', async () => {
    const { documentClient, tableName } = table;
    await accepted(order('m-1', 'ann', 'O-1'));
    const broken = await accepted(order('m-2', 'bob', 'O-2'));
    await table.documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.contact(broken),
        UpdateExpression: 'SET createdAt = :bad',
        ExpressionAttributeValues: { ':bad': '+010000-01-01T00:00:00.000Z' },
      }),
    );

    const outcome = await refreshCustomerValue(
      {
        contacts,
        customerValue: new DynamoCustomerValueStore(documentClient, tableName),
        jobs: new DynamoJourneyJobStore(documentClient, tableName),
        ids: new UlidIdGenerator(),
        clock,
      },
      () => false,
    );

    expect(outcome).toMatchObject({ status: 'refreshed', customers: 1 });
    expect(damage).toEqual([
      expect.objectContaining({ PK: `C#${broken}`, SK: 'PROFILE', outcome: 'skipped' }),
    ]);
  });

  it('can still be erased', async () => {
    const { documentClient, tableName } = table;
    const broken = await accepted(order('m-2', 'bob', 'O-2'));
    await table.documentClient.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.contact(broken),
        UpdateExpression: 'SET createdAt = :bad',
        ExpressionAttributeValues: { ':bad': 'not a date' },
      }),
    );
    const personalData = new DynamoPersonalDataStore(documentClient, tableName);
    const suppressions = new DynamoSuppressionStore(documentClient, tableName);

    const erased = await eraseContact({ personalData, suppressions, clock }, broken);

    expect(erased).toMatchObject({ status: 'erased', suppressedByHash: ['email'] });
    expect(await personalData.identityOwner('user', 'bob')).toBeUndefined();
  });
});

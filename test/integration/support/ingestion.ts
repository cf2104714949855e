import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoClickLog } from '../../../lib/adapters/dynamodb/dynamo-click-log.js';
import { DynamoCoPurchaseStore } from '../../../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoCustomerValueStore } from '../../../lib/adapters/dynamodb/dynamo-customer-value-store.js';
import { DynamoIngestionStore } from '../../../lib/adapters/dynamodb/dynamo-ingestion-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoStatsStore } from '../../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import type { IngestDeps } from '../../../lib/app/ingest-events.js';
import type { Clock } from '../../../lib/ports/clock.js';
import type { TestTable } from './table.js';

/**
 * Ingestion wired to a test table as the composition root wires it, with the
 * default settings; `overrides` replaces any part (a contact store that records
 * damage, a catalog with products already in it).
 */
export const ingestDepsFor = (
  table: Pick<TestTable, 'documentClient' | 'tableName'>,
  clock: Clock,
  overrides: Partial<IngestDeps> = {},
): IngestDeps => {
  const { documentClient, tableName } = table;
  return {
    store: new DynamoIngestionStore(documentClient, tableName),
    clicks: new DynamoClickLog(documentClient, tableName),
    messages: new DynamoOutbox(documentClient, tableName),
    customerValue: new DynamoCustomerValueStore(documentClient, tableName),
    coPurchases: new DynamoCoPurchaseStore(documentClient, tableName),
    stats: new DynamoStatsStore(documentClient, tableName),
    contacts: new DynamoContactStore(documentClient, tableName),
    catalog: new DynamoCatalogStore(documentClient, tableName),
    clock,
    ids: new UlidIdGenerator(),
    settings: {
      messageDedupeDays: 30,
      orderDedupeDays: 400,
      attributionWindowDays: 7,
      defaultCurrency: 'EUR',
    },
    ...overrides,
  };
};

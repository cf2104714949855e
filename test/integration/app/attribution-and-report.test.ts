import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoClickLog } from '../../../lib/adapters/dynamodb/dynamo-click-log.js';
import { DynamoCoPurchaseStore } from '../../../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoCustomerValueStore } from '../../../lib/adapters/dynamodb/dynamo-customer-value-store.js';
import { DynamoIngestionStore } from '../../../lib/adapters/dynamodb/dynamo-ingestion-store.js';
import { DynamoStatsStore } from '../../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { UlidIdGenerator } from '../../../lib/adapters/system/ulid-id-generator.js';
import { type IngestDeps, ingestCall } from '../../../lib/app/ingest-events.js';
import { journeyReportOf } from '../../../lib/app/journey-report.js';
import { publishJourney, putJourneyDraft } from '../../../lib/app/manage-journeys.js';
import { recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import { parseSesNotification } from '../../../lib/domain/ses-notification.js';
import { adminStores } from '../admin/support.js';
import { aContact, aSignup } from '../support/builders.js';
import { TestClock } from '../support/delivery-world.js';
import { createTestTable } from '../support/table.js';

const click = parseSesNotification(
  readFileSync(join(import.meta.dirname, '../../fixtures/ses/click.json'), 'utf8'),
);
const contactId = '01JD3UD5E7F9G1H3J5K7M9N1P3';

let deps: IngestDeps;
let stats: DynamoStatsStore;
let clicks: DynamoClickLog;
let clock: TestClock;

beforeEach(async () => {
  const { documentClient, tableName } = await createTestTable();
  clock = new TestClock(new Date('2026-11-20T10:00:00Z'));
  stats = new DynamoStatsStore(documentClient, tableName);
  clicks = new DynamoClickLog(documentClient, tableName);
  const contacts = new DynamoContactStore(documentClient, tableName);
  await contacts.create(aSignup(aContact({ id: contactId, email: 'clicker@example.com' })));
  deps = {
    store: new DynamoIngestionStore(documentClient, tableName),
    clicks,
    stats,
    customerValue: new DynamoCustomerValueStore(documentClient, tableName),
    coPurchases: new DynamoCoPurchaseStore(documentClient, tableName),
    contacts,
    catalog: new DynamoCatalogStore(documentClient, tableName),
    clock,
    ids: new UlidIdGenerator(),
    settings: { messageDedupeDays: 30, orderDedupeDays: 400, attributionWindowDays: 7 },
  };
  await recordSesFeedback(
    {
      suppressions: new DynamoSuppressionStore(documentClient, tableName),
      contacts,
      stats,
      ids: new UlidIdGenerator(),
      clicks,
      settings: { attributionWindowDays: 7 },
    },
    click,
    clock.now(),
  );
});

const order = (messageId: string, at: string) => ({
  type: 'track',
  event: 'Order Completed',
  email: 'clicker@example.com',
  messageId,
  timestamp: at,
  properties: {
    order_id: messageId,
    revenue: 49.9,
    products: [{ sku: 'BOOK-1', category: 'books', price: 49.9 }],
  },
});

describe('when a purchase follows a click on a journey’s mail', () => {
  it('credits it to that message and journey within the window from the click, not before the click nor after the window', async () => {
    // The shop reports the orders a week later, as a nightly export would.
    clock.set('2026-12-01T00:00:00Z');
    await ingestCall(deps, order('o-in', '2026-11-25T10:00:00Z'), 'api');
    await ingestCall(deps, order('o-before', '2026-11-23T09:00:00Z'), 'api');
    await ingestCall(deps, order('o-late', '2026-11-30T09:01:26Z'), 'api');
    expect(await stats.read('journey:welcome', '2026-11-25')).toEqual({
      'attributed:orders': 1,
      'attributed:revenue-cents': 4990,
    });
    expect(await stats.read('journey:welcome', '2026-11-23')).toEqual({});
    expect(await stats.read('journey:welcome', '2026-11-30')).toEqual({});
  });

  it('records a click once however often SNS delivers it', async () => {
    expect(await clicks.since(contactId, '2026-11-01T00:00:00Z')).toHaveLength(1);
  });
});

describe('the journey report', () => {
  it('adds up the days and compares treatment with the holdout', async () => {
    const admin = { ...(await adminStores()), clock };
    await admin.templates.publish(
      { id: 'welcome', kind: 'marketing', subject: 'Hi', text: 'Hello', mjml: '<mj-text>Hello</mj-text>' },
      clock.now(),
    );
    await putJourneyDraft(admin, 'welcome', {
      id: 'welcome',
      name: 'Welcome',
      trigger: { event: 'signup_confirmed' },
      holdout: 10,
      start: 'hi',
      nodes: [{ id: 'hi', type: 'send_email', template: 'welcome' }],
    });
    await publishJourney(admin, 'welcome');
    const counts: Array<[string, string, number]> = [
      ['2026-11-19', 'entered:treatment', 600],
      ['2026-11-20', 'entered:treatment', 400],
      ['2026-11-19', 'entered:control', 100],
      ['2026-11-20', 'goal:treatment', 120],
      ['2026-11-20', 'goal:control', 8],
      ['2026-11-20', 'goal-revenue-cents:treatment', 600_000],
      ['2026-11-20', 'goal-revenue-cents:control', 40_000],
    ];
    for (const [day, metric, by] of counts) await admin.stats.increment('journey:welcome', day, metric, by);
    const report = await journeyReportOf(admin, 'welcome', { from: '2026-11-19', to: '2026-11-20' });
    expect(report.holdout.treatment).toMatchObject({
      members: 1000,
      conversions: 120,
      revenue: 6000,
      conversionRate: 0.12,
    });
    expect(report.holdout.control).toMatchObject({
      members: 100,
      conversions: 8,
      revenue: 400,
      conversionRate: 0.08,
    });
    expect(report.holdout.lift.absolute).toBeCloseTo(0.04, 10);
    expect(report.holdout.revenuePerMemberDifference).toBeCloseTo(2, 10);
  });
});

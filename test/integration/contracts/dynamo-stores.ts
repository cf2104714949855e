import { PutCommand, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { reportOnStderr } from '../../../lib/adapters/dynamodb/damaged-items.js';
import { DynamoApiKeyStore } from '../../../lib/adapters/dynamodb/dynamo-api-key-store.js';
import { DynamoAuditLog } from '../../../lib/adapters/dynamodb/dynamo-audit-log.js';
import { DynamoCampaignGoalStore } from '../../../lib/adapters/dynamodb/dynamo-campaign-goal-store.js';
import {
  DynamoCampaignAudienceStore,
  DynamoCampaignStore,
} from '../../../lib/adapters/dynamodb/dynamo-campaign-store.js';
import { DynamoCatalogStore } from '../../../lib/adapters/dynamodb/dynamo-catalog-store.js';
import { DynamoClickLog } from '../../../lib/adapters/dynamodb/dynamo-click-log.js';
import { DynamoCoPurchaseStore } from '../../../lib/adapters/dynamodb/dynamo-co-purchase-store.js';
import { DynamoContactEventLog } from '../../../lib/adapters/dynamodb/dynamo-contact-event-log.js';
import { DynamoContactStore } from '../../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoCustomerValueStore } from '../../../lib/adapters/dynamodb/dynamo-customer-value-store.js';
import { DynamoDeadLetterStore } from '../../../lib/adapters/dynamodb/dynamo-dead-letter-store.js';
import { DynamoDeliveryPolicyStore } from '../../../lib/adapters/dynamodb/dynamo-delivery-policy-store.js';
import { DynamoEnrollmentStore } from '../../../lib/adapters/dynamodb/dynamo-enrollment-store.js';
import { DynamoIngestionStore } from '../../../lib/adapters/dynamodb/dynamo-ingestion-store.js';
import { DynamoJourneyJobStore } from '../../../lib/adapters/dynamodb/dynamo-journey-job-store.js';
import { DynamoJourneyStore } from '../../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoOrderLog } from '../../../lib/adapters/dynamodb/dynamo-order-log.js';
import { DynamoOutboundEventStore } from '../../../lib/adapters/dynamodb/dynamo-outbound-event-store.js';
import { DynamoOutbox } from '../../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoPersonalDataStore } from '../../../lib/adapters/dynamodb/dynamo-personal-data-store.js';
import { DynamoRateLimiter } from '../../../lib/adapters/dynamodb/dynamo-rate-limiter.js';
import { DynamoSegmentMembershipStore } from '../../../lib/adapters/dynamodb/dynamo-segment-membership-store.js';
import { DynamoSegmentStore } from '../../../lib/adapters/dynamodb/dynamo-segment-store.js';
import { DynamoSendingStateStore } from '../../../lib/adapters/dynamodb/dynamo-sending-state-store.js';
import { DynamoSoftBounceLog } from '../../../lib/adapters/dynamodb/dynamo-soft-bounce-log.js';
import { DynamoStatsStore } from '../../../lib/adapters/dynamodb/dynamo-stats-store.js';
import { DynamoSuppressionStore } from '../../../lib/adapters/dynamodb/dynamo-suppression-store.js';
import { DynamoTemplateStore } from '../../../lib/adapters/dynamodb/dynamo-template-store.js';
import { DynamoTimerStore } from '../../../lib/adapters/dynamodb/dynamo-timer-store.js';
import { queryAll } from '../../../lib/adapters/dynamodb/query-all.js';
import type { ContractStores, MakeStores } from '../../contracts/stores.js';
import { createTestTable } from '../support/table.js';

/** The DynamoDB adapters on a fresh table in DynamoDB Local. */
export const dynamoStores: MakeStores = async ({ timerShards = 4 } = {}): Promise<ContractStores> => {
  const { documentClient, tableName } = await createTestTable();
  const contacts = new DynamoContactStore(documentClient, tableName);
  return {
    apiKeys: new DynamoApiKeyStore(documentClient, tableName),
    audit: new DynamoAuditLog(documentClient, tableName),
    campaigns: new DynamoCampaignStore(documentClient, tableName),
    campaignAudience: new DynamoCampaignAudienceStore(documentClient, tableName),
    campaignGoals: new DynamoCampaignGoalStore(documentClient, tableName, reportOnStderr),
    catalog: new DynamoCatalogStore(documentClient, tableName),
    clicks: new DynamoClickLog(documentClient, tableName),
    coPurchases: new DynamoCoPurchaseStore(documentClient, tableName),
    events: new DynamoContactEventLog(documentClient, tableName),
    contacts,
    customerValue: new DynamoCustomerValueStore(documentClient, tableName),
    deadLetters: new DynamoDeadLetterStore(documentClient, tableName),
    deliveryPolicies: new DynamoDeliveryPolicyStore(documentClient, tableName),
    sendingState: new DynamoSendingStateStore(documentClient, tableName),
    enrollments: new DynamoEnrollmentStore(documentClient, tableName, timerShards),
    ingestion: new DynamoIngestionStore(documentClient, tableName),
    jobs: new DynamoJourneyJobStore(documentClient, tableName),
    journeys: new DynamoJourneyStore(documentClient, tableName),
    orders: new DynamoOrderLog(documentClient, tableName),
    outboundEvents: new DynamoOutboundEventStore(documentClient, tableName),
    outbox: new DynamoOutbox(documentClient, tableName),
    personalData: new DynamoPersonalDataStore(documentClient, tableName),
    rateLimiter: new DynamoRateLimiter(documentClient, tableName),
    segments: new DynamoSegmentStore(documentClient, tableName),
    segmentMemberships: new DynamoSegmentMembershipStore(documentClient, tableName),
    softBounces: new DynamoSoftBounceLog(documentClient, tableName),
    stats: new DynamoStatsStore(documentClient, tableName),
    suppressions: new DynamoSuppressionStore(documentClient, tableName),
    templates: new DynamoTemplateStore(documentClient, tableName),
    timers: new DynamoTimerStore(documentClient, tableName, timerShards),
    timerShards,
    table: {
      put: async (item) => {
        await documentClient.send(new PutCommand({ TableName: tableName, Item: item }));
      },
      query: (partitionKey, prefix) =>
        queryAll(documentClient, {
          TableName: tableName,
          KeyConditionExpression: prefix === undefined ? 'PK = :pk' : 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: {
            ':pk': partitionKey,
            ...(prefix === undefined ? {} : { ':prefix': prefix }),
          },
          ConsistentRead: true,
        }),
      scan: async () => {
        const items: Array<Record<string, unknown>> = [];
        let startKey: ScanCommandInput['ExclusiveStartKey'];
        do {
          const page = await documentClient.send(
            new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
          );
          items.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
        } while (startKey !== undefined);
        return items;
      },
    },
  };
};

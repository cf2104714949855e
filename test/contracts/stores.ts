import type { ApiKeyStore } from '../../lib/ports/api-key-store.js';
import type { AuditLog } from '../../lib/ports/audit-log.js';
import type { CampaignGoalStore } from '../../lib/ports/campaign-goal-store.js';
import type { CampaignAudienceStore, CampaignStore } from '../../lib/ports/campaign-store.js';
import type { CatalogStore } from '../../lib/ports/catalog-store.js';
import type { ClickLog } from '../../lib/ports/click-log.js';
import type { CoPurchaseStore } from '../../lib/ports/co-purchase-store.js';
import type { ContactEventLog } from '../../lib/ports/contact-event-log.js';
import type { ContactLookup, ContactStore } from '../../lib/ports/contact-store.js';
import type { CustomerValueStore } from '../../lib/ports/customer-value-store.js';
import type { DeadLetterStore } from '../../lib/ports/dead-letter-store.js';
import type { DeliveryPolicyStore } from '../../lib/ports/delivery-policy-store.js';
import type { EnrollmentStore } from '../../lib/ports/enrollment-store.js';
import type { IngestionStore } from '../../lib/ports/ingestion-store.js';
import type { JourneyJobStore } from '../../lib/ports/journey-job-store.js';
import type { JourneyStore } from '../../lib/ports/journey-store.js';
import type { OrderLog } from '../../lib/ports/order-log.js';
import type { OutboundEventStore } from '../../lib/ports/outbound-event-store.js';
import type { Outbox } from '../../lib/ports/outbox.js';
import type { PersonalDataStore } from '../../lib/ports/personal-data-store.js';
import type { PhoneDirectory } from '../../lib/ports/phone-directory.js';
import type { RateLimiter } from '../../lib/ports/rate-limiter.js';
import type { SegmentMembershipStore } from '../../lib/ports/segment-membership-store.js';
import type { SegmentStore } from '../../lib/ports/segment-store.js';
import type { SendingStateStore } from '../../lib/ports/sending-state-store.js';
import type { SoftBounceLog } from '../../lib/ports/soft-bounce-log.js';
import type { StatsStore } from '../../lib/ports/stats-store.js';
import type { SuppressionStore } from '../../lib/ports/suppression-store.js';
import type { TemplateStore } from '../../lib/ports/template-store.js';
import type { MessageDeferrals, TimerStore } from '../../lib/ports/timer-store.js';

/**
 * Every store of one deployment on one fresh table, as a contract suite sees
 * them: the DynamoDB adapters on a test table in DynamoDB Local
 * (test/integration/contracts/dynamo-stores.ts), or the memory adapters of one
 * MemoryWorld (test/unit/contracts/memory-stores.ts). What one writes, the others read.
 */
export interface ContractStores {
  apiKeys: ApiKeyStore;
  audit: AuditLog;
  campaigns: CampaignStore;
  campaignAudience: CampaignAudienceStore;
  campaignGoals: CampaignGoalStore;
  catalog: CatalogStore;
  clicks: ClickLog;
  coPurchases: CoPurchaseStore;
  events: ContactEventLog;
  contacts: ContactStore & ContactLookup & PhoneDirectory;
  customerValue: CustomerValueStore;
  deadLetters: DeadLetterStore;
  deliveryPolicies: DeliveryPolicyStore;
  sendingState: SendingStateStore;
  enrollments: EnrollmentStore;
  ingestion: IngestionStore;
  jobs: JourneyJobStore;
  journeys: JourneyStore;
  orders: OrderLog;
  outboundEvents: OutboundEventStore;
  outbox: Outbox;
  personalData: PersonalDataStore;
  rateLimiter: RateLimiter;
  segments: SegmentStore;
  segmentMemberships: SegmentMembershipStore;
  softBounces: SoftBounceLog;
  stats: StatsStore;
  suppressions: SuppressionStore;
  templates: TemplateStore;
  timers: TimerStore & MessageDeferrals;
  /** The shard count the timers and enrollments were built with. */
  timerShards: number;
  /** The table itself, for what no port writes or reads: an item of a kind no code knows yet. */
  table: RawTable;
}

export interface RawTable {
  put(item: Record<string, unknown> & { PK: string; SK: string }): Promise<void>;
  /** The items of a partition, in key order. */
  query(partitionKey: string, prefix?: string): Promise<Array<Record<string, unknown>>>;
  scan(): Promise<Array<Record<string, unknown>>>;
}

export type MakeStores = (options?: { timerShards?: number }) => Promise<ContractStores>;

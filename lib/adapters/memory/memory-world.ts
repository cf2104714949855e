import { ContactEvent } from '../../domain/contact-event.js';
import type { WheelTimer } from '../../domain/timer.js';
import { bucketStart, type TimerLocation } from '../../ports/timer-store.js';
import { type DamageReporter, reportOnStderr } from '../dynamodb/damaged-items.js';
import { eventFromItem } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import { dueTimerFromItem } from '../dynamodb/timer-items.js';
import { MemoryApiKeyStore } from './memory-api-key-store.js';
import { MemoryAuditLog } from './memory-audit-log.js';
import { MemoryCampaignGoalStore } from './memory-campaign-goal-store.js';
import { MemoryCampaignAudienceStore, MemoryCampaignStore } from './memory-campaign-store.js';
import { MemoryCatalogStore } from './memory-catalog-store.js';
import { MemoryClickLog } from './memory-click-log.js';
import { MemoryCoPurchaseStore } from './memory-co-purchase-store.js';
import { MemoryContactEventLog } from './memory-contact-event-log.js';
import { MemoryContactStore } from './memory-contact-store.js';
import { MemoryCustomerValueStore } from './memory-customer-value-store.js';
import { MemoryDeadLetterStore } from './memory-dead-letter-store.js';
import { MemoryDeliveryPolicyStore } from './memory-delivery-policy-store.js';
import { MemoryEnrollmentStore } from './memory-enrollment-store.js';
import { MemoryIngestionStore } from './memory-ingestion-store.js';
import { MemoryJourneyJobStore } from './memory-journey-job-store.js';
import { MemoryJourneyStore } from './memory-journey-store.js';
import { MemoryOrderLog } from './memory-order-log.js';
import { MemoryOutboundEventStore } from './memory-outbound-event-store.js';
import { MemoryOutbox } from './memory-outbox.js';
import { MemoryPersonalDataStore } from './memory-personal-data-store.js';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import { MemorySegmentMembershipStore } from './memory-segment-membership-store.js';
import { MemorySegmentStore } from './memory-segment-store.js';
import { MemorySendingStateStore } from './memory-sending-state-store.js';
import { MemorySoftBounceLog } from './memory-soft-bounce-log.js';
import { MemoryStatsStore } from './memory-stats-store.js';
import { MemorySuppressionStore } from './memory-suppression-store.js';
import { type Item, MemoryTable, type TableChange } from './memory-table.js';
import { MemoryTemplateStore } from './memory-template-store.js';
import { MemoryTimerStore } from './memory-timer-store.js';
import { RecordingEventPublisher } from './recording-event-publisher.js';
import { RecordingMailer } from './recording-mailer.js';
import { RecordingTexter } from './recording-texter.js';
import { SeededIdGenerator } from './seeded-id-generator.js';
import { SeededSecretGenerator } from './seeded-secret-generator.js';
import { VirtualClock } from './virtual-clock.js';

/**
 * What the table's stream hands the stream functions, decoded as their
 * handlers decode it: an event for `journeys` (INSERT of `EV#`), a message for
 * `deliver` (`MSG#`), an outbound event for `publish-events` (`OUT#`).
 */
export type StreamInsert =
  | { kind: 'event'; sequence: number; event: ContactEvent }
  /**
   * An `EV#` item that is no contact event, or an item under those prefixes outside a
   * contact's partition: its stream function reports such a record failed (UndecodableRecordError).
   */
  | { kind: 'undecodable'; sequence: number; keys: { PK: string; SK: string }; problem: string }
  | { kind: 'message'; sequence: number; message: { contactId: string; key: string } }
  | { kind: 'outbound-event'; sequence: number; outboundEvent: { contactId: string; id: string } };

/** A timer in the wheel, and the moment a tick can first fire it. */
export interface WheelEntry {
  timer: WheelTimer;
  location: TimerLocation;
  /** Its due time, or the start of the minute it was filed in when it was filed after that (a late schedule). */
  firesAt: Date;
}

export interface MemoryWorldOptions {
  /** Where the virtual clock starts. */
  start: Date | string;
  /** Seeds ids and API keys; the same seed and the same steps make the same ids. Default 1. */
  seed?: number;
  /** TIMER_SHARDS: the wheel's write shards. Default 2. */
  timerShards?: number;
  /** Where damaged items are reported (as the composition root's logger does). */
  reportDamage?: DamageReporter;
}

const contactPartitionPrefix = keys.contact('').PK;

/** The stream's decoding of an INSERT, as the stream filters pick them (by sort key prefix) and the handlers read them. */
const decodeInsert = (change: TableChange): StreamInsert | undefined => {
  const image = change.newImage;
  if (change.eventName !== 'INSERT' || image === undefined) return undefined;
  const { PK, SK } = change.keys;
  const { sequence } = change;
  const prefix = [keys.eventPrefix, keys.messagePrefix, keys.outboundEventPrefix].find((p) =>
    SK.startsWith(p),
  );
  if (prefix === undefined) return undefined;
  const contactId = PK.startsWith(contactPartitionPrefix) ? PK.slice(contactPartitionPrefix.length) : '';
  const rest = SK.slice(prefix.length);
  const undecodable = (problem: string): StreamInsert => ({
    kind: 'undecodable',
    sequence,
    keys: { PK, SK },
    problem,
  });
  if (contactId === '' || rest === '') return undecodable(`no contact item keys (PK ${PK}, SK ${SK})`);
  if (prefix === keys.eventPrefix) {
    const event = ContactEvent.safeParse(eventFromItem(image));
    return event.success ? { kind: 'event', sequence, event: event.data } : undecodable(event.error.message);
  }
  if (prefix === keys.messagePrefix) return { kind: 'message', sequence, message: { contactId, key: rest } };
  return { kind: 'outbound-event', sequence, outboundEvent: { contactId, id: rest } };
};

/**
 * One deployment in memory: the table every store writes to, the stores the
 * composition root wires (each the memory twin of its DynamoDB adapter, tested
 * against the same contract), a virtual clock, seeded ids, and a mailer, texter
 * and event bus that record instead of sending. What one store writes, the others
 * read; what the table's stream would deliver is queued for `drainInserts`; the
 * timer wheel is read by fireDueTimers through `timers` as the tick reads it.
 */
export class MemoryWorld {
  readonly table = new MemoryTable();
  readonly clock: VirtualClock;
  readonly ids: SeededIdGenerator;
  readonly secrets: SeededSecretGenerator;
  readonly timerShards: number;

  readonly contacts: MemoryContactStore;
  /** The contact store is also the phone directory, as in DynamoDB. */
  readonly phones: MemoryContactStore;
  readonly suppressions: MemorySuppressionStore;
  /** Soft bounces per email address, counted toward a temporary suppression. */
  readonly softBounces: MemorySoftBounceLog;
  readonly journeys: MemoryJourneyStore;
  readonly enrollments: MemoryEnrollmentStore;
  readonly outbox: MemoryOutbox;
  readonly templates: MemoryTemplateStore;
  readonly stats: MemoryStatsStore;
  readonly rateLimiter: MemoryRateLimiter;
  /** The timer wheel; also where deliver files deferred messages (MessageDeferrals). */
  readonly timers: MemoryTimerStore;
  readonly deliveryPolicies: MemoryDeliveryPolicyStore;
  readonly sendingState: MemorySendingStateStore;
  readonly jobs: MemoryJourneyJobStore;
  /** The catalog; also ingestion's ProductLookup. */
  readonly catalog: MemoryCatalogStore;
  readonly events: MemoryContactEventLog;
  readonly apiKeys: MemoryApiKeyStore;
  /** Every change made through the admin API. */
  readonly audit: MemoryAuditLog;
  readonly ingestion: MemoryIngestionStore;
  readonly clicks: MemoryClickLog;
  readonly customerValue: MemoryCustomerValueStore;
  readonly coPurchases: MemoryCoPurchaseStore;
  readonly outboundEvents: MemoryOutboundEventStore;
  readonly personalData: MemoryPersonalDataStore;
  readonly orders: MemoryOrderLog;
  /** Saved audience segments. */
  readonly segments: MemorySegmentStore;
  /** Which live segments each contact is in. */
  readonly segmentMemberships: MemorySegmentMembershipStore;
  /** Campaigns, and their frozen audiences. */
  readonly campaigns: MemoryCampaignStore;
  readonly campaignAudience: MemoryCampaignAudienceStore;
  readonly campaignGoals: MemoryCampaignGoalStore;
  /** What failed for good, until a redrive succeeds. */
  readonly deadLetters: MemoryDeadLetterStore;

  readonly mailer: RecordingMailer;
  readonly texter: RecordingTexter;
  readonly publisher: RecordingEventPublisher;

  private readonly inserts: StreamInsert[] = [];
  private readonly insertListeners = new Set<(insert: StreamInsert) => void>();

  constructor(options: MemoryWorldOptions) {
    const report = options.reportDamage ?? reportOnStderr;
    this.clock = new VirtualClock(options.start);
    this.ids = new SeededIdGenerator(this.clock, options.seed ?? 1);
    this.secrets = new SeededSecretGenerator(options.seed ?? 1);
    this.timerShards = options.timerShards ?? 2;
    const table = this.table;
    this.contacts = new MemoryContactStore(table, report);
    this.phones = this.contacts;
    this.suppressions = new MemorySuppressionStore(table);
    this.softBounces = new MemorySoftBounceLog(table);
    this.journeys = new MemoryJourneyStore(table);
    this.enrollments = new MemoryEnrollmentStore(table, this.timerShards, report);
    this.outbox = new MemoryOutbox(table);
    this.templates = new MemoryTemplateStore(table);
    this.stats = new MemoryStatsStore(table);
    this.rateLimiter = new MemoryRateLimiter(table);
    this.timers = new MemoryTimerStore(table, this.timerShards);
    this.deliveryPolicies = new MemoryDeliveryPolicyStore(table);
    this.sendingState = new MemorySendingStateStore(table);
    this.jobs = new MemoryJourneyJobStore(table);
    this.catalog = new MemoryCatalogStore(table, report);
    this.events = new MemoryContactEventLog(table);
    this.apiKeys = new MemoryApiKeyStore(table);
    this.audit = new MemoryAuditLog(table);
    this.ingestion = new MemoryIngestionStore(table);
    this.clicks = new MemoryClickLog(table);
    this.customerValue = new MemoryCustomerValueStore(table);
    this.coPurchases = new MemoryCoPurchaseStore(table);
    this.outboundEvents = new MemoryOutboundEventStore(table);
    this.personalData = new MemoryPersonalDataStore(table);
    this.orders = new MemoryOrderLog(table, report);
    this.segments = new MemorySegmentStore(table);
    this.segmentMemberships = new MemorySegmentMembershipStore(table);
    this.campaigns = new MemoryCampaignStore(table);
    this.campaignAudience = new MemoryCampaignAudienceStore(table);
    this.campaignGoals = new MemoryCampaignGoalStore(table, report);
    this.deadLetters = new MemoryDeadLetterStore(table);
    this.mailer = new RecordingMailer(this.clock);
    this.texter = new RecordingTexter(this.clock);
    this.publisher = new RecordingEventPublisher();
    table.subscribe((change) => {
      const insert = decodeInsert(change);
      if (insert === undefined) return;
      this.inserts.push(insert);
      for (const listener of this.insertListeners) listener(insert);
    });
  }

  /**
   * Every INSERT of an event, a message or an outbound event since the last
   * drain, in write order (one contact's in the order the stream would hand them
   * over), and forgets them: hand each to its use case as the stream functions do.
   */
  drainInserts(): StreamInsert[] {
    return this.inserts.splice(0, this.inserts.length);
  }

  /** Inserts written and not drained yet. */
  pendingInserts(): number {
    return this.inserts.length;
  }

  /** Hears each insert as it is written (it is still queued for drainInserts). */
  onInsert(listener: (insert: StreamInsert) => void): () => void {
    this.insertListeners.add(listener);
    return () => this.insertListeners.delete(listener);
  }

  /**
   * The timer wheel, every timer in it, by the moment a tick can fire it:
   * jump the clock to the first and run fireDueTimers (with `timers` and
   * `timerShards`) to turn what is due into events and messages.
   */
  wheel(): WheelEntry[] {
    return this.table
      .partitionKeys(keys.timerPrefix)
      .flatMap((partition) => this.table.queryAll(partition))
      .map((item) => {
        const { timer, location } = dueTimerFromItem(item);
        const due = new Date(timer.dueAt);
        const filed = bucketStart(location.bucket);
        return { timer, location, firesAt: due > filed ? due : filed };
      })
      .sort((a, b) => a.firesAt.getTime() - b.firesAt.getTime() || a.timer.id.localeCompare(b.timer.id));
  }

  /** When the wheel's first timer can fire; undefined when it is empty. */
  nextTimerAt(): Date | undefined {
    return this.wheel()[0]?.firesAt;
  }

  /** The items of a partition, in key order (the export's and the tests' view of the table). */
  items(partitionKey: string, prefix?: string): Item[] {
    return this.table.queryAll(partitionKey, prefix === undefined ? {} : { prefix });
  }

  /** The events stored for a contact, in id order. */
  eventsOf(contactId: string): ContactEvent[] {
    return this.items(keys.contact(contactId).PK, keys.eventPrefix).map((item) =>
      ContactEvent.parse(eventFromItem(item)),
    );
  }

  /** DynamoDB's TTL, run now: see MemoryTable.expire. */
  expire(): number {
    return this.table.expire(this.clock.now());
  }
}

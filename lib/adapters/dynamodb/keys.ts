import { createHash } from 'node:crypto';

/**
 * The single table's key design. Every item has string keys PK and SK; see
 * docs/architecture.md for the table of item types and access patterns.
 */

const pad = (version: number): string => version.toString().padStart(6, '0');

const timerPrefix = 'T#';

export const keys = {
  contact: (contactId: string) => ({ PK: `C#${contactId}`, SK: 'PROFILE' }),
  emailIdentity: (normalizedEmail: string) => ({ PK: `ID#email#${normalizedEmail}`, SK: 'ID' }),
  /** Finds the contact an inbound SMS (a STOP) comes from; first contact to claim a number keeps it. */
  phoneIdentity: (e164: string) => ({ PK: `ID#phone#${e164}`, SK: 'ID' }),
  consentEntry: (contactId: string, at: string, entryId: string) => ({
    PK: `C#${contactId}`,
    SK: `CONSENT#${at}#${entryId}`,
  }),
  consentPrefix: 'CONSENT#',
  event: (contactId: string, eventId: string) => ({ PK: `C#${contactId}`, SK: `EV#${eventId}` }),
  eventPrefix: 'EV#',
  enrollment: (contactId: string, journeyId: string, enrollmentId: string) => ({
    PK: `C#${contactId}`,
    SK: `EN#${journeyId}#${enrollmentId}`,
  }),
  enrollmentPrefix: 'EN#',
  /** Marks that a contact entered a journey whose re-entry rule is `never`. */
  entered: (contactId: string, journeyId: string) => ({ PK: `C#${contactId}`, SK: `ENTERED#${journeyId}` }),
  /** Held while a contact is in a journey that allows one enrollment at a time. */
  active: (contactId: string, journeyId: string) => ({ PK: `C#${contactId}`, SK: `ACTIVE#${journeyId}` }),
  enteredPrefix: 'ENTERED#',
  activePrefix: 'ACTIVE#',
  message: (contactId: string, messageKey: string) => ({ PK: `C#${contactId}`, SK: `MSG#${messageKey}` }),
  messagePrefix: 'MSG#',
  /** An emit_event node's outbox entry, published to EventBridge from the stream. */
  outboundEvent: (contactId: string, eventId: string) => ({ PK: `C#${contactId}`, SK: `OUT#${eventId}` }),
  outboundEventPrefix: 'OUT#',
  journeyVersion: (journeyId: string, version: number) => ({ PK: `J#${journeyId}`, SK: `V#${pad(version)}` }),
  /** One item per journey in a shared partition: the list the journeys function scans for triggers. */
  journeyPointer: (journeyId: string) => ({ PK: 'JOURNEYS', SK: `J#${journeyId}` }),
  journeyPointerPartition: 'JOURNEYS',
  /** The one editable draft of a journey; publishing turns it into the next version and removes it. */
  journeyDraft: (journeyId: string) => ({ PK: `J#${journeyId}`, SK: 'DRAFT' }),
  templateVersion: (templateId: string, version: number) => ({
    PK: `TPL#${templateId}`,
    SK: `V#${pad(version)}`,
  }),
  versionPrefix: 'V#',
  templateDraft: (templateId: string) => ({ PK: `TPL#${templateId}`, SK: 'DRAFT' }),
  /** One item per template, so the admin API lists templates with one query. */
  templatePointer: (templateId: string) => ({ PK: 'TEMPLATES', SK: `TPL#${templateId}` }),
  templatePointerPartition: 'TEMPLATES',
  suppression: (channel: string, address: string) => ({ PK: `SUP#${channel}#${address}`, SK: 'SUP' }),
  /** An erased contact's address, kept only as the SHA-256 (hex) of its normalized form: never contacted again. */
  hashedSuppression: (channel: string, sha256: string) => ({
    PK: `SUP#${channel}-hash#${sha256}`,
    SK: 'SUP',
  }),
  /** One soft bounce of an email address, by the SHA-256 of the normalized address and SES's id of the mail. TTL. */
  softBounce: (sha256: string, mailId: string) => ({
    PK: `SOFTBOUNCE#email-hash#${sha256}`,
    SK: `B#${mailId}`,
  }),
  softBouncePartition: (sha256: string) => `SOFTBOUNCE#email-hash#${sha256}`,
  softBouncePrefix: 'B#',
  /** The audit record of an erasure; holds no personal data (see docs/architecture.md, Erasure). */
  erasure: (contactId: string) => ({ PK: `ERASED#${contactId}`, SK: 'ERASED' }),
  /** A rate limit's count for one key in one fixed window. */
  rateWindow: (key: string, windowStart: string) => ({ PK: `RATE#${key}`, SK: windowStart }),
  /**
   * A daily counter. Shard 0 (`<metric>`) takes the plain ADDs; the counters written
   * inside transactions go to shards 1 and up (`~<shard>#<metric>`: no metric begins
   * with `~`), so two transactions seldom lock one item. A read adds them up.
   */
  stat: (scope: string, day: string, metric: string, shard = 0) => ({
    PK: `STAT#${scope}#${day}`,
    SK: shard === 0 ? metric : `~${shard}#${metric}`,
  }),
  statPartition: (scope: string, day: string) => `STAT#${scope}#${day}`,
  /** Settings published with the content, e.g. the delivery policy. */
  config: (name: string) => ({ PK: 'CONFIG', SK: name }),
  /** The catalog: one partition, so the admin API lists it with one (paged) query. */
  product: (sku: string) => ({ PK: 'CATALOG', SK: `P#${sku}` }),
  catalogPartition: 'CATALOG',
  productPrefix: 'P#',
  /**
   * Published products by category, newest last: "new in your categories since …" is one range query.
   * A product has one per level of its category path (`books`, `books/crime`); `/` is plain text in a key.
   */
  categoryRelease: (category: string, publishedAt: string, sku: string) => ({
    PK: `CAT#${category}`,
    SK: `${publishedAt}#${sku}`,
  }),
  categoryReleasePartition: (category: string) => `CAT#${category}`,
  /** A click on a link in a sent message, kept (TTL) as long as a purchase may be credited to it. */
  click: (contactId: string, clickedAt: string, messageKey: string) => ({
    PK: `C#${contactId}`,
    SK: `CLICK#${clickedAt}#${messageKey}`,
  }),
  clickPrefix: 'CLICK#',
  /** An order as received, per contact. */
  order: (contactId: string, orderId: string) => ({ PK: `C#${contactId}`, SK: `ORDER#${orderId}` }),
  orderPrefix: 'ORDER#',
  /** Seen message ids and order ids (Segment's messageId, the shop's order_id): a second copy is refused. TTL. */
  dedupe: (kind: 'message' | 'order', id: string) => ({ PK: `DEDUPE#${kind}#${id}`, SK: 'DEDUPE' }),
  /** A source counted once (an SNS notification, a journey's failure on an event): its counters are not added again. TTL. */
  countMark: (id: string) => ({ PK: `DEDUPE#count#${id}`, SK: 'DEDUPE' }),
  /** A contact by the shop's own id (Segment's userId). */
  externalIdentity: (userId: string) => ({ PK: `ID#user#${userId}`, SK: 'ID' }),
  /** Ingestion API keys, by the SHA-256 of the key: the key itself is never stored. */
  apiKey: (keyHash: string) => ({ PK: `APIKEY#${keyHash}`, SK: 'APIKEY' }),
  /** One item per key in a shared partition, so keys can be listed (by id) and revoked. */
  apiKeyPointer: (keyId: string) => ({ PK: 'APIKEYS', SK: `K#${keyId}` }),
  apiKeyPointerPartition: 'APIKEYS',
  /** Saved audience segments: few, so one partition, listed by id with one query. */
  segment: (segmentId: string) => ({ PK: 'SEGMENTS', SK: `S#${segmentId}` }),
  segmentPartition: 'SEGMENTS',
  segmentPrefix: 'S#',
  /** Campaigns: few, so one partition, listed by id with one query. */
  campaign: (campaignId: string) => ({ PK: 'CAMPAIGNS', SK: `CP#${campaignId}` }),
  campaignPartition: 'CAMPAIGNS',
  campaignPrefix: 'CP#',
  /** A campaign's control member, or a member's conversion mark, under the contact. */
  campaignRecipient: (contactId: string, campaignId: string) => ({
    PK: `C#${contactId}`,
    SK: `CAMPAIGN#${campaignId}`,
  }),
  /** A contact's campaign records, every campaign's: what its goals are checked against on each event. */
  campaignRecipientPrefix: 'CAMPAIGN#',
  /** A contact's campaign messages (their keys start `campaign#`), every campaign's: the treatment members' records. */
  campaignMessagePrefix: 'MSG#campaign#',
  /**
   * A campaign's frozen audience, a chunk per launch page and start: in sending
   * order (start, then page) within one partition, so the sender reads it in one pass.
   */
  campaignChunk: (campaignId: string, start: string, chunkId: string) => ({
    PK: `CA#${campaignId}`,
    SK: `${start}#${chunkId}`,
  }),
  campaignChunkPartition: (campaignId: string) => `CA#${campaignId}`,
  /** Bought-together counts: for each product, the products bought in the same orders. */
  coPurchase: (sku: string, otherSku: string) => ({ PK: `CO#${sku}`, SK: otherSku }),
  coPurchasePartition: (sku: string) => `CO#${sku}`,
  /** The timer wheel: one partition per minute bucket and write shard; the sort key orders timers by due time. */
  timer: (bucket: string, shard: number, dueAt: string, timerId: string) => ({
    PK: `${timerPrefix}${bucket}#${shard}`,
    SK: `${dueAt}#${timerId}`,
  }),
  timerPartition: (bucket: string, shard: number) => `${timerPrefix}${bucket}#${shard}`,
  /** Every partition of the wheel begins with this. */
  timerPrefix,
  /** How far the tick has drained the wheel, and with how many shards. */
  timerCursor: { PK: 'TIMERS', SK: 'CURSOR' },
} as const;

/**
 * The one global secondary index, sparse and keys-only: running enrollments by
 * journey (so a migration or an archive can find them) and contacts (so a date
 * trigger published today can reach everyone). Both are spread over shards so a
 * burst of writes (a launch's fan-out) never piles onto one index partition.
 */
export const listIndex = {
  name: 'GSI1',
  partitionKey: 'GSI1PK',
  sortKey: 'GSI1SK',
  shards: 16,
} as const;

const indexShard = (id: string): number =>
  createHash('sha256').update(id).digest().readUInt16BE(0) % listIndex.shards;

export const listIndexKeys = {
  /** Only while the enrollment is active: an ended one leaves the index. */
  activeEnrollment: (journeyId: string, contactId: string, enrollmentId: string) => ({
    [listIndex.partitionKey]: `JEN#${journeyId}#${indexShard(enrollmentId)}`,
    [listIndex.sortKey]: `${contactId}#${enrollmentId}`,
  }),
  activeEnrollmentPartition: (journeyId: string, shard: number) => `JEN#${journeyId}#${shard}`,
  contact: (contactId: string) => ({
    [listIndex.partitionKey]: `CONTACTS#${indexShard(contactId)}`,
    [listIndex.sortKey]: contactId,
  }),
  contactPartition: (shard: number) => `CONTACTS#${shard}`,
  /** Orders by the UTC day they were placed (their `at`), for reports over a range of days. */
  orderOnDay: (day: string, contactId: string, orderId: string) => ({
    [listIndex.partitionKey]: `ORDERS#${day}#${indexShard(orderId)}`,
    [listIndex.sortKey]: `${contactId}#${orderId}`,
  }),
  orderDayPartition: (day: string, shard: number) => `ORDERS#${day}#${shard}`,
};

/**
 * Background work (a migration, an archive, a date trigger's backfill, a product
 * launch's fan-out), listed per subject: a journey id, or `product:<sku>`.
 */
export const jobKeys = {
  job: (subject: string, jobId: string) => ({ PK: 'JOBS', SK: `JOB#${subject}#${jobId}` }),
  partition: 'JOBS',
  subjectPrefix: (subject: string) => `JOB#${subject}#`,
  allPrefix: 'JOB#',
};

/** The attribute DynamoDB's TTL reads (epoch seconds). */
export const ttlAttribute = 'expiresAt';

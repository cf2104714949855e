import { z } from 'zod';
import { SegmentId } from './audience-segment.js';
import { CampaignId } from './campaign.js';
import { Sku } from './product.js';

/** A node mapping for a migration: each node an enrollment may rest at in the old version → its place in the new. */
export const NodeMapping = z.record(z.string(), z.string());
export type NodeMapping = z.infer<typeof NodeMapping>;

export const JourneyJobKind = z.discriminatedUnion('kind', [
  /** Moves running enrollments from one version to another along a validated node mapping. */
  z.object({
    kind: z.literal('migrate'),
    fromVersion: z.number().int().min(1),
    toVersion: z.number().int().min(1),
    mapping: NodeMapping,
  }),
  /** Ends every running enrollment of an archived journey now, instead of at its next event. */
  z.object({ kind: z.literal('archive') }),
  /** Files date-trigger timers for every existing contact when a version with a date trigger is published. */
  z.object({ kind: z.literal('date-backfill'), version: z.number().int().min(1) }),
  /** Tells every contact who bought in the category that the product was published: one `product_published` event each. */
  z.object({ kind: z.literal('product-fan-out'), sku: Sku, category: z.string().min(1) }),
  /** Rescores every customer (RFM, tier, CLV, churn risk) against freshly computed base-wide cuts. */
  z.object({ kind: z.literal('customer-rescore'), thresholdsAt: z.iso.datetime() }),
  /**
   * The nightly pass: re-evaluates every live segment on every contact, for
   * what changes with time alone (`$within: -P30D`) or without an event (a bounce).
   */
  z.object({ kind: z.literal('segment-refresh'), at: z.iso.datetime() }),
  /**
   * Once, on the first deploy that records engagement: every profile without a
   * `lastEngagedAt` gets `startedAt`, so the sunset and the re-engagement
   * question count from then, not from a subscription years old.
   */
  z.object({ kind: z.literal('engagement-start'), startedAt: z.iso.datetime() }),
  /**
   * Counts the contacts in one version of a saved segment, its date operators
   * measured from `at` (when the count was asked for) however long the walk takes.
   */
  z.object({
    kind: z.literal('segment-count'),
    segmentId: SegmentId,
    version: z.number().int().min(1),
    at: z.iso.datetime(),
  }),
  /**
   * Freezes a campaign's audience as of `at` (its launch): its treatment
   * members in chunks by start, a record for each control member.
   */
  z.object({ kind: z.literal('campaign-launch'), campaignId: CampaignId, at: z.iso.datetime() }),
  /**
   * Writes each member's message at its paced slot, once the launch is done:
   * `first` sends everyone (or an A/B test's test share); `rest` waits for the
   * test's window, picks the winner and sends it to the others.
   */
  z.object({
    kind: z.literal('campaign-send'),
    campaignId: CampaignId,
    share: z.enum(['first', 'rest']),
  }),
  /** Marks the campaign sent once its last message is due and every other job of it is done. */
  z.object({ kind: z.literal('campaign-finish'), campaignId: CampaignId }),
]);
export type JourneyJobKind = z.infer<typeof JourneyJobKind>;

/** Where a job stopped: the index shard it is on and the last key read there. */
export const JobCursor = z.object({
  shard: z.number().int().min(0),
  after: z.record(z.string(), z.string()).optional(),
});
export type JobCursor = z.infer<typeof JobCursor>;

export const JourneyJobStatus = z.enum(['pending', 'done', 'failed']);

const productSubjectPrefix = 'product:';

/**
 * The subject of a product launch's jobs. Journey ids are lower-case letters,
 * digits and `-`, so a subject with a colon can never name a journey.
 */
export const productJobSubject = (sku: string): string => `${productSubjectPrefix}${sku}`;

/** The subject a segment's counts are filed under; the colon keeps it apart from journey ids. */
export const segmentJobSubject = (segmentId: string): string => `segment:${segmentId}`;

/** The most members a count keeps to show (their contact ids; the addresses are read when it is shown). */
export const segmentSampleSize = 10;

/** What a job found, beyond its counts: a segment count's members so far and a few of them. */
export const JobResult = z.object({
  members: z.number().int().min(0),
  sample: z.array(z.string().min(1)).max(segmentSampleSize),
});
export type JobResult = z.infer<typeof JobResult>;

/** The subject a campaign's jobs are filed under; the colon keeps it apart from journey ids. */
export const campaignJobSubject = (campaignId: string): string => `campaign:${campaignId}`;

/**
 * A campaign send's place in its pace: the messages it wrote and the last
 * one's slot; the pace it is in (slot i at `paceFrom` + floor(i / rate) s,
 * `paceIndex` the next i); and how many of the next chunk's members it has
 * done. Saved with the cursor, so a run that stops goes on at the same place.
 */
export const JobPacing = z.object({
  queued: z.number().int().min(0),
  lastSendAt: z.iso.datetime().optional(),
  paceFrom: z.iso.datetime().optional(),
  paceIndex: z.number().int().min(0).optional(),
  offset: z.number().int().min(0).optional(),
});
export type JobPacing = z.infer<typeof JobPacing>;

/** The subject the nightly pass over the live segments is filed under; the colon keeps it apart from journey ids. */
export const liveSegmentsJobSubject = 'segments:live';

/** The subject of the one job that starts the engagement clock; the colon keeps it apart from journey ids. */
export const engagementJobSubject = 'contacts:engagement';

/** The subject the customer-value refresh files its jobs under; the colon keeps it apart from journey ids. */
export const customerValueJobSubject = 'customers:value';

/**
 * Background work on one journey or one product, done a page at a time by the
 * journey-jobs schedule: resumable from its cursor after a timeout or a crash,
 * and every page's work is idempotent, so a page done twice changes nothing.
 */
export const JourneyJob = z
  .object({
    id: z.string().min(1),
    /** What the job works on, and the list it is filed in: a journey id, or `product:<sku>` for a product launch. */
    subject: z.string().min(1),
    work: JourneyJobKind,
    status: JourneyJobStatus,
    cursor: JobCursor,
    /** Items looked at, changed, and left as they were (e.g. enrollments on another version). */
    counts: z.object({ seen: z.number().int(), changed: z.number().int(), unchanged: z.number().int() }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().optional(),
    error: z.string().optional(),
    /** Saved with each page, so it always matches the cursor: a segment count's members and sample. */
    result: JobResult.optional(),
    /** Not run before this instant (a campaign's slot, or an A/B test's window, still ahead). */
    runAfter: z.iso.datetime().optional(),
    /** A campaign send's pace, saved with each page. */
    pacing: JobPacing.optional(),
    /** Optimistic-concurrency counter: two overlapping runs cannot both move the cursor. */
    revision: z.number().int().min(1),
  })
  .refine(
    (job) =>
      job.work.kind === 'product-fan-out'
        ? job.subject === productJobSubject(job.work.sku)
        : !job.subject.startsWith(productSubjectPrefix),
    {
      path: ['subject'],
      message: 'a product job is filed under product:<sku>, a journey job under its journey id',
    },
  );
export type JourneyJob = z.infer<typeof JourneyJob>;

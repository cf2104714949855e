import { z } from 'zod';
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

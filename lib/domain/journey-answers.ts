import { z } from 'zod';
import { JourneyReport } from './attribution.js';
import { PublishedJourney } from './journey-definition.js';
import { JourneyJob, NodeMapping } from './journey-job.js';
import { JourneySummary } from './journey-summary.js';
import { CurrencyCode } from './money.js';
import { Problem } from './problem.js';
import { EmailRates } from './reputation.js';

/**
 * What the journey admin routes answer (`/admin/journeys/{id}/…`), read back by
 * the console and the CLI with these same schemas.
 */

/**
 * A draft as stored. The definition is kept as the JSON it was validated as, not
 * typed: the schema may have moved on since, and a draft that no longer validates
 * must still be readable so its author can see and fix it.
 */
export const JourneyDraft = z.object({
  journeyId: z.string(),
  definition: z.record(z.string(), z.unknown()),
  /** Counts the saves; publishing names the revision it validated, so a save in between is not lost. */
  revision: z.number().int().min(1),
  updatedAt: z.iso.datetime(),
});
export type JourneyDraft = z.infer<typeof JourneyDraft>;

/** `GET /admin/journeys/{id}`: the summary, the latest version and the draft. */
export const JourneyDetails = JourneySummary.extend({
  latest: PublishedJourney.pick({ version: true, publishedAt: true, definition: true }).nullable(),
  draft: JourneyDraft.nullable(),
});
export type JourneyDetails = z.infer<typeof JourneyDetails>;

/** `POST /admin/journeys/{id}/validate`. */
export const ValidationReport = z.object({ valid: z.boolean(), problems: z.array(Problem) });
export type ValidationReport = z.infer<typeof ValidationReport>;

export const JourneyVersionSummary = z.object({
  version: z.number().int().min(1),
  name: z.string(),
  publishedAt: z.iso.datetime(),
});
export type JourneyVersionSummary = z.infer<typeof JourneyVersionSummary>;

/** `GET /admin/journeys/{id}/versions`, oldest first. */
export const JourneyVersions = z.object({ journeyId: z.string(), versions: z.array(JourneyVersionSummary) });
export type JourneyVersions = z.infer<typeof JourneyVersions>;

/** `POST /admin/journeys/{id}/publish`. */
export const JourneyPublished = z.object({
  journeyId: z.string(),
  version: z.number().int().min(1),
  publishedAt: z.iso.datetime(),
  status: PublishedJourney.shape.status,
});
export type JourneyPublished = z.infer<typeof JourneyPublished>;

/** `POST /admin/journeys/{id}/pause|resume|archive`. */
export const JourneyStatusChanged = z.object({
  journeyId: z.string(),
  status: PublishedJourney.shape.status,
});
export type JourneyStatusChanged = z.infer<typeof JourneyStatusChanged>;

/** `POST /admin/journeys/{id}/migrate`: the job that moves the enrollments, and the full mapping it uses. */
export const JourneyMigration = z.object({ journeyId: z.string(), job: JourneyJob, mapping: NodeMapping });
export type JourneyMigration = z.infer<typeof JourneyMigration>;

/** `GET /admin/journeys/{id}/jobs`: migrations, archive and date backfills, newest first, with progress. */
export const JourneyJobList = z.object({ journeyId: z.string(), jobs: z.array(JourneyJob) });
export type JourneyJobList = z.infer<typeof JourneyJobList>;

const Counters = z.record(z.string(), z.number());

export const DayStats = z.object({
  day: z.iso.date(),
  /** Journey-wide counters: `entered:treatment`, `completed`, `sent`, `skipped:<reason>`, … */
  totals: Counters,
  /** Counters named `node:<nodeId>:<metric>`, by node. */
  nodes: z.record(z.string(), Counters),
});
export type DayStats = z.infer<typeof DayStats>;

/** `GET /admin/journeys/{id}/stats`: every day of the range (empty days too), oldest first. */
export const JourneyStats = z.object({
  journeyId: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.array(DayStats),
});
export type JourneyStats = z.infer<typeof JourneyStats>;

/** A group's enrollments: a contact who re-enters is one member and several enrollments. */
export const GroupEnrollments = z.object({
  entered: z.number().int().min(0),
  /** Enrollments that reached the goal, counted on the day they did. */
  converted: z.number().int().min(0),
});
export type GroupEnrollments = z.infer<typeof GroupEnrollments>;

/** `GET /admin/journeys/{id}/report`. */
export const JourneyReportAnswer = z.object({
  journeyId: z.string(),
  from: z.string(),
  to: z.string(),
  /**
   * Per group, the contacts who first entered the journey in the range
   * (`members`), those of them who reached the goal (`conversions`) and what
   * the converting events were worth; then the lift and its confidence interval.
   */
  holdout: JourneyReport,
  /** Enrollments per group, apart from the contacts the statistics count. */
  enrollments: z.object({ treatment: GroupEnrollments, control: GroupEnrollments }),
  /** Orders placed within the attribution window after a click on this journey's mail. */
  attributed: z.object({ orders: z.number().int().min(0), revenue: z.number() }),
  /** SES's sends, deliveries, bounces and complaints of its mail, and the bounce and complaint rates. */
  email: EmailRates,
  /** What every revenue above is in (major units): the deployment's currency. */
  currency: CurrencyCode,
});
export type JourneyReportAnswer = z.infer<typeof JourneyReportAnswer>;

import { z } from 'zod';
import { JourneyReport } from './attribution.js';
import { CampaignStatus } from './campaign.js';
import { CurrencyCode } from './money.js';

/**
 * What `GET /admin/campaigns/{id}/report` answers, and what the CLI reads
 * back: a campaign's counters over its range, per variant and in total.
 */

const Count = z.number().int().min(0);

/** Orders credited to the campaign's mail from customers who came through one acquisition medium. */
export const MediumRow = z.object({
  /** The customer's signup `utm_medium`; null: they came with none. */
  medium: z.string().nullable(),
  orders: Count,
  /** Major units of the report's currency. */
  revenue: z.number(),
});
export type MediumRow = z.infer<typeof MediumRow>;

/** What the campaign's mail did, for one variant or for all of it. */
export const CampaignFigures = z.object({
  /** Recipients frozen at launch, by group; the control group is never sent anything. */
  audience: z.object({ treatment: Count, control: Count }),
  sent: Count,
  failed: Count,
  /** Messages not sent, by reason (only reasons that occurred). */
  skipped: z.record(z.string(), Count),
  /** Messages held back and sent later, by reason (a cap, quiet hours, a pause). */
  deferred: z.record(z.string(), Count),
  /** SES's events on the mail. */
  delivered: Count,
  bounced: Count,
  complained: Count,
  /** Bounces and complaints over SES's sends of the mail; null before SES reported a send. */
  bounceRate: z.number().min(0).nullable(),
  complaintRate: z.number().min(0).nullable(),
  opened: Count,
  clicked: Count,
  /** Recipients who unsubscribed through the link in the campaign's mail. */
  unsubscribed: Count,
  /** Orders within the attribution window after a click on the campaign's mail, in total and by the customer's medium. */
  attributed: z.object({ orders: Count, revenue: z.number(), byMedium: z.array(MediumRow) }),
});
export type CampaignFigures = z.infer<typeof CampaignFigures>;

export const VariantFigures = CampaignFigures.extend({ variant: z.string() });
export type VariantFigures = z.infer<typeof VariantFigures>;

export const CampaignGoalReport = z.object({
  event: z.string(),
  within: z.string(),
  /**
   * Treatment against control: members, those who reached the goal within
   * their window, what the converting events were worth; the lift and its interval.
   */
  holdout: JourneyReport,
  /** Each variant's treatment recipients against the campaign's one control group. */
  variants: z.array(z.object({ variant: z.string(), holdout: JourneyReport })),
});
export type CampaignGoalReport = z.infer<typeof CampaignGoalReport>;

export const CampaignReport = z.object({
  campaignId: z.string(),
  name: z.string(),
  status: CampaignStatus,
  launchedAt: z.iso.datetime(),
  /** The range read: the launch day to today, or its first 92 days. */
  from: z.iso.date(),
  to: z.iso.date(),
  total: CampaignFigures,
  variants: z.array(VariantFigures),
  /** The A/B test's chosen variant, once chosen. */
  winner: z.string().nullable(),
  /** Null for a campaign without a goal. */
  goal: CampaignGoalReport.nullable(),
  /** What every revenue above is in (major units): the deployment's currency. */
  currency: CurrencyCode,
});
export type CampaignReport = z.infer<typeof CampaignReport>;

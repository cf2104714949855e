import { z } from 'zod';
import { SegmentId } from './audience-segment.js';
import { BoundedIsoDuration } from './durations.js';
import { EventMatch } from './journey-definition.js';
import { afterDuration } from './wait-time.js';

/** Like journey and segment ids: it appears in URLs, keys, message keys and stats scopes. */
export const CampaignId = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}$/,
    'must be 1-64 lower-case letters, digits or "-", starting with a letter or digit',
  );
export type CampaignId = z.infer<typeof CampaignId>;

/** Who it goes to: a saved segment's members as of launch, optionally only those subscribed to a topic. */
export const CampaignAudience = z.object({
  segmentId: SegmentId,
  topic: z.string().min(1).optional(),
});
export type CampaignAudience = z.infer<typeof CampaignAudience>;

/** Email with a published template, or SMS with a Liquid body. */
export const CampaignChannel = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email'), templateId: z.string().min(1) }),
  z.object({ kind: z.literal('sms'), body: z.string().min(1).max(1_600) }),
]);
export type CampaignChannel = z.infer<typeof CampaignChannel>;

const LocalDate = z.iso.date();
const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 10:00');

/**
 * When it goes out: at launch; at one instant; or at a time of day on a date in
 * each contact's own zone (their `timeZone`, else the deployment's default), so
 * "10:00 on 12 December" reaches Tokyo before Berlin.
 */
export const CampaignSchedule = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('now') }),
  z.object({ kind: z.literal('at'), at: z.iso.datetime({ offset: true }) }),
  z.object({ kind: z.literal('local'), date: LocalDate, time: LocalTime }),
]);
export type CampaignSchedule = z.infer<typeof CampaignSchedule>;

/** One arm of an A/B test: another template (email), another subject (email), or another body (SMS). */
export const CampaignVariant = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'must be 1-32 lower-case letters, digits or "-"'),
  weight: z.number().int().min(1).max(100).default(1),
  templateId: z.string().min(1).optional(),
  subject: z.string().min(1).max(500).optional(),
  body: z.string().min(1).max(1_600).optional(),
});
export type CampaignVariant = z.infer<typeof CampaignVariant>;

/**
 * A test share goes first; after `window` the variant with the better
 * `metric` wins and the rest of the audience gets it.
 */
export const CampaignAbTest = z.object({
  testPercent: z.number().int().min(5).max(50),
  window: BoundedIsoDuration,
  metric: z.enum(['click-rate', 'goal-rate']),
});
export type CampaignAbTest = z.infer<typeof CampaignAbTest>;

export const CampaignGoal = EventMatch.extend({ within: BoundedIsoDuration });
export type CampaignGoal = z.infer<typeof CampaignGoal>;

/** Emails a second a new SES account may send (its "maximum send rate" until raised). */
export const newSesAccountSendRate = 14;

/**
 * Texts a second when the deployment does not say. SNS publishes no account SMS rate:
 * carriers throttle each origination number, in message parts a second, from 1 (a US
 * 10DLC number's default, a Canadian long code) through 3 (US toll-free) and 10 (long
 * codes elsewhere) to 100 (a US short code). The lowest is the one that is always safe.
 */
export const defaultSmsSendRate = 1;

/** Messages a second when neither the campaign nor the deployment says: a new SES account's sending rate. */
export const defaultCampaignSendRate = newSesAccountSendRate;

/** What a marketer writes (`PUT /admin/campaigns/{id}`, `campaigns/*.yaml`). */
export const CampaignDefinition = z
  .object({
    id: CampaignId,
    name: z.string().trim().min(1, 'is required').max(200),
    audience: CampaignAudience,
    channel: CampaignChannel,
    schedule: CampaignSchedule.default({ kind: 'now' }),
    /** Percent of the audience kept as a control group: recorded, never sent, measured for the goal. */
    holdout: z.number().int().min(0).max(50).default(0),
    goal: CampaignGoal.optional(),
    /** 2-4 variants; absent, everyone gets the channel's content. */
    variants: z.array(CampaignVariant).min(2).max(4).optional(),
    abTest: CampaignAbTest.optional(),
    /** Messages a second at most; the deployment's CAMPAIGN_SEND_RATE (14, a new SES account's) when absent. */
    sendRate: z.number().positive().max(10_000).optional(),
  })
  .superRefine((campaign, ctx) => {
    if (campaign.abTest !== undefined && campaign.variants === undefined)
      ctx.addIssue({ code: 'custom', path: ['abTest'], message: 'needs variants to test' });
    if (campaign.abTest?.metric === 'goal-rate' && campaign.goal === undefined)
      ctx.addIssue({ code: 'custom', path: ['abTest', 'metric'], message: 'goal-rate needs a goal' });
    const ids = new Set<string>();
    for (const [index, variant] of (campaign.variants ?? []).entries()) {
      if (ids.has(variant.id))
        ctx.addIssue({
          code: 'custom',
          path: ['variants', index, 'id'],
          message: `"${variant.id}" is used twice`,
        });
      ids.add(variant.id);
      const differs =
        campaign.channel.kind === 'email'
          ? variant.templateId !== undefined || variant.subject !== undefined
          : variant.body !== undefined;
      if (!differs)
        ctx.addIssue({
          code: 'custom',
          path: ['variants', index],
          message:
            campaign.channel.kind === 'email'
              ? 'an email variant needs a templateId or a subject'
              : 'an SMS variant needs a body',
        });
    }
  });
export type CampaignDefinition = z.infer<typeof CampaignDefinition>;

/** draft → scheduled → sending → sent; paused from scheduled or sending; cancelled from any but sent. */
export const CampaignStatus = z.enum(['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const SavedCampaign = z.object({
  definition: CampaignDefinition,
  status: CampaignStatus,
  /** Set at launch: the moment the audience was frozen and the segment evaluated. */
  launchedAt: z.iso.datetime().optional(),
  /** The status before a pause, to resume to. */
  pausedFrom: CampaignStatus.optional(),
  /** The A/B test's winner, once chosen. */
  winner: z.string().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().min(1),
});
export type SavedCampaign = z.infer<typeof SavedCampaign>;

/**
 * A contact's record in a campaign, under the contact (`C#<contactId>`,
 * `CAMPAIGN#<campaignId>`): written at launch for each member of the control
 * group, who gets no message to stand for them, and at a treatment member's
 * conversion, to mark it once. A treatment member's own record is its campaign
 * message (one per campaign and contact by its key), so the launch writes
 * nothing under the contact for them.
 */
export const CampaignRecipient = z.object({
  campaignId: CampaignId,
  contactId: z.string().min(1),
  group: z.enum(['treatment', 'control']),
  /** The variant a treatment member was sent. */
  variant: z.string().optional(),
  /** When the goal window opens: the message's send slot, or the control member's would-be start. */
  sendAt: z.iso.datetime(),
  /** When the goal was reached, once. */
  goalReachedAt: z.iso.datetime().optional(),
});
export type CampaignRecipient = z.infer<typeof CampaignRecipient>;

/**
 * A part of the frozen audience: the treatment members one launch page found
 * whose sending starts at `start` (the campaign's start, or for a `local`
 * schedule the start in their zone), in walk order. Ids only: variant and test
 * share are hashes of the campaign and the contact, and a launched campaign's
 * definition cannot change. `id` names the page (its first contact), so a page
 * done again finds its own chunk.
 */
export const CampaignAudienceChunk = z.object({
  campaignId: CampaignId,
  start: z.iso.datetime(),
  id: z.string().min(1),
  contactIds: z.array(z.string().min(1)).min(1),
});
export type CampaignAudienceChunk = z.infer<typeof CampaignAudienceChunk>;

/**
 * Whether a contact event may still convert for the campaign: it has a goal,
 * and it is launched and running, or ended (sent, cancelled) less than the
 * goal's `within` ago, the last a member's window can stay open after its send.
 */
export const measuresGoal = (campaign: SavedCampaign, now: Date): boolean => {
  const { goal } = campaign.definition;
  if (goal === undefined || campaign.launchedAt === undefined) return false;
  if (campaign.status !== 'sent' && campaign.status !== 'cancelled') return campaign.status !== 'draft';
  return afterDuration(goal.within, new Date(campaign.updatedAt), 'UTC') >= now;
};

/** The message key of a campaign's message to a contact: one per (campaign, contact) by construction. */
export const campaignMessageKey = (campaignId: string): string => `campaign#${campaignId}`;

import { z } from 'zod';
import { SavedCampaign } from './campaign.js';
import { JourneyJob } from './journey-job.js';
import { Problem } from './problem.js';

/** The campaigns as the admin API lists them. */
export const CampaignList = z.object({ campaigns: z.array(SavedCampaign) });
export type CampaignList = z.infer<typeof CampaignList>;

/** One campaign with its launch, send and finish jobs and their progress (`GET /admin/campaigns/{id}`). */
export const CampaignDetails = SavedCampaign.extend({ jobs: z.array(JourneyJob) });
export type CampaignDetails = z.infer<typeof CampaignDetails>;

/** `POST /admin/campaigns/{id}/validate`: whether the definition and what it names (segment, templates) hold. */
export const CampaignValidationReport = z.object({ valid: z.boolean(), problems: z.array(Problem) });
export type CampaignValidationReport = z.infer<typeof CampaignValidationReport>;

import { decodeContactEvent } from '../../lib/adapters/dynamodb/stream-records.js';
import { handleContactEvent } from '../../lib/app/handle-contact-event.js';
import { anyCampaignMeasuresGoal } from '../../lib/app/record-campaign-goals.js';
import { perEnvironment } from '../dependencies.js';
import { logger } from '../middleware/observability.js';
import { streamHandler } from '../middleware/stream-chain.js';

const deps = perEnvironment((d) => ({
  journeys: d.journeys,
  enrollments: d.enrollments,
  contacts: d.contacts,
  stats: d.stats,
  timers: d.timers,
  clock: d.clock,
  settings: { defaultTimeZone: d.env.DEFAULT_TIME_ZONE, defaultCurrency: d.env.DEFAULT_CURRENCY },
  segmentMembership: {
    liveSegments: d.liveSegments,
    memberships: d.segmentMemberships,
    clock: d.clock,
    ids: d.ids,
  },
  campaignGoals: {
    campaigns: d.campaigns,
    anyGoalMeasured: anyCampaignMeasuresGoal(d.campaignList, d.clock),
    goals: d.campaignGoals,
    contacts: d.contacts,
    stats: d.stats,
    clock: d.clock,
    settings: { defaultCurrency: d.env.DEFAULT_CURRENCY },
  },
}));

export const handler = streamHandler(async (record) => {
  const event = decodeContactEvent(record);
  const { segments, journeys: outcomes, campaigns } = await handleContactEvent(deps(), event);
  for (const failed of segments.filter((change) => change.change === 'failed')) {
    logger.error('a live segment could not be evaluated on the contact; its membership is unchanged', {
      eventId: event.id,
      ...failed,
    });
  }
  if (segments.length > 0) logger.info('event changed segment membership', { eventId: event.id, segments });
  for (const failed of outcomes.filter((outcome) => outcome.outcome === 'failed')) {
    logger.error('a journey failed on the event; the other journeys handled it', {
      eventId: event.id,
      ...failed,
    });
  }
  if (outcomes.length > 0) logger.info('event advanced journeys', { eventId: event.id, outcomes });
  for (const failed of campaigns.filter((outcome) => outcome.outcome === 'failed')) {
    logger.error('a campaign goal could not be checked against the event', { eventId: event.id, ...failed });
  }
  if (campaigns.length > 0) logger.info('event reached campaign goals', { eventId: event.id, campaigns });
});

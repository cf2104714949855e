import type { DeliverDeps } from '../lib/app/deliver-message.js';
import type { HandleContactEventDeps } from '../lib/app/handle-contact-event.js';
import { anyCampaignMeasuresGoal } from '../lib/app/record-campaign-goals.js';
import type { SignUpDeps } from '../lib/app/sign-up.js';
import { disposableEmailDomains } from '../lib/config/disposable-email-domains.js';
import { timing } from '../lib/config/timing.js';
import { signupConfirmationLimits } from '../lib/domain/confirmation-limits.js';
import { renderPublishedEmail } from '../lib/templates/render-compiled-email.js';
import type { Dependencies } from './composition-root.js';

/*
 * The use cases' dependencies as the stream and schedule functions wire them,
 * apart from the handlers (which check the environment as they load), so that
 * the benchmarks run the use cases wired exactly as the functions run them.
 */

/** What the signup form's use case runs on. */
export const signUpDependencies = (d: Dependencies): SignUpDeps => ({
  contacts: d.contacts,
  stats: d.stats,
  phones: d.contacts,
  suppressions: d.suppressions,
  clock: d.clock,
  ids: d.ids,
  rateLimiter: d.rateLimiter,
  settings: {
    rateLimits: { perIp: d.env.SIGNUP_LIMIT_PER_IP, perForm: d.env.SIGNUP_LIMIT_PER_FORM },
    topics: d.env.TOPICS.map((topic) => topic.id),
    redirectOrigins: d.env.ALLOWED_ORIGINS,
    wordingVersion: d.env.CONSENT_WORDING_VERSION,
    confirmationLimits: signupConfirmationLimits,
    ...(d.env.REFUSE_DISPOSABLE_EMAIL
      ? { disposableDomains: disposableEmailDomains(d.env.DISPOSABLE_EMAIL_DOMAINS) }
      : {}),
  },
});

/** What the journeys use case runs on, from the runtime's dependencies (benchmarks wire it the same way). */
export const journeysDependencies = (d: Dependencies): HandleContactEventDeps => ({
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
});

/**
 * What deliver runs on, from the runtime's dependencies (benchmarks wire it the
 * same way). The link-signing keys are re-read every few minutes, so each record asks for them.
 */
export const deliveryDependencies = (
  { env, ...d }: Dependencies,
  senders: Pick<DeliverDeps, 'mailer' | 'texter'> = { mailer: d.mailer(), texter: d.texter() },
) => ({
  deps: {
    outbox: d.outbox,
    contacts: d.contacts,
    suppressions: d.suppressions,
    templates: d.templates,
    journeys: d.journeys,
    campaigns: d.campaigns,
    stats: d.stats,
    ...senders,
    deferrals: d.timers,
    rateLimiter: d.rateLimiter,
    clock: d.clock,
    ids: d.ids,
    render: (template, input) => renderPublishedEmail(template, input, { topicLabels: d.topicLabels }),
    recommendations: d.recommendations,
    policy: d.deliveryPolicy,
    sendingState: d.sendingStateNow,
  } satisfies Omit<DeliverDeps, 'settings'>,
  settings: {
    publicBaseUrl: env.PUBLIC_BASE_URL,
    tokenTtlDays: env.TOKEN_TTL_DAYS,
    sender: env.SENDER_EMAIL,
    postalAddress: env.POSTAL_ADDRESS,
    defaultTimeZone: env.DEFAULT_TIME_ZONE,
    sms: {
      ...(env.SMS_SENDER_ID === undefined ? {} : { senderId: env.SMS_SENDER_ID }),
      ...(env.SMS_ORIGINATION_NUMBER === undefined ? {} : { originationNumber: env.SMS_ORIGINATION_NUMBER }),
      marketingType: env.SMS_TYPE_MARKETING,
      transactionalType: env.SMS_TYPE_TRANSACTIONAL,
    },
    emailSendRate: env.SES_MAX_SEND_RATE,
    smsSendRate: env.SMS_MAX_SEND_RATE,
    claimLeaseMs: timing.deliver.claimLeaseMs,
    sendWaitMs: timing.deliver.sendWaitMs,
    maxClaimWaitMs: timing.deliver.maxClaimWaitMs,
    sunsetAfter: env.SUNSET_AFTER,
  },
  tokenKeys: d.tokenKeys,
});

/** What the journey-jobs use case runs on, from the runtime's dependencies (benchmarks wire it the same way). */
export const journeyJobsDependencies = (d: Dependencies) => ({
  customerValue: d.customerValue,
  jobs: d.journeyJobs,
  journeys: d.journeys,
  enrollments: d.enrollments,
  contacts: d.contacts,
  timers: d.timers,
  stats: d.stats,
  catalog: d.catalog,
  segments: d.segments,
  segmentMembership: {
    liveSegments: d.liveSegments,
    memberships: d.segmentMemberships,
    clock: d.clock,
    ids: d.ids,
  },
  campaigns: d.campaigns,
  campaignAudience: d.campaignAudience,
  outbox: d.outbox,
  events: d.contactEvents,
  clock: d.clock,
  // The schedule runs once a minute in the cloud, so a cap per run is a cap per minute.
  settings: {
    defaultTimeZone: d.env.DEFAULT_TIME_ZONE,
    fanOutEventsPerRun: d.env.FANOUT_EVENTS_PER_MINUTE,
    campaignSendRate: d.env.CAMPAIGN_SEND_RATE,
  },
});

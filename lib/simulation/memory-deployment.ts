import type { MemoryWorld } from '../adapters/memory/memory-world.js';
import type { DeliverDeps } from '../app/deliver-message.js';
import type { HandleContactEventDeps } from '../app/handle-contact-event.js';
import type { IngestDeps } from '../app/ingest-events.js';
import { recommendationSource } from '../app/recommend-for-contact.js';
import { anyCampaignMeasuresGoal } from '../app/record-campaign-goals.js';
import type { RunJourneyJobsDeps } from '../app/run-journey-jobs.js';
import type { SendTestEmailDeps } from '../app/send-test-email.js';
import { timing } from '../config/timing.js';
import { defaultSmsSendRate } from '../domain/campaign.js';
import type { DeliveryPolicy } from '../domain/delivery-policy.js';
import type { SunsetAfter } from '../domain/engagement.js';
import type { TokenKeys } from '../domain/tokens.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { CoPurchaseStore } from '../ports/co-purchase-store.js';
import { renderPublishedEmail } from '../templates/render-compiled-email.js';
import { renderEmail } from '../templates/render-email.js';

/** What a deployment is configured with, as far as the use cases run on memory need it. */
export interface MemoryDeploymentSettings {
  defaultTimeZone: string;
  publicBaseUrl: string;
  tokenKeys: TokenKeys;
  tokenTtlDays: number;
  sender: string;
  postalAddress: string;
  sms: DeliverDeps['settings']['sms'];
  /** SES_MAX_SEND_RATE: the virtual clock moves on while deliver waits for a free second. */
  emailSendRate: number;
  /** SMS_MAX_SEND_RATE, the same way; unset, the deployment's default. */
  smsSendRate?: number;
  /** The caps and quiet hours in force, read on each delivery as the deliver function reads them. */
  policy: () => Promise<DeliveryPolicy | undefined>;
  /** Where recommendations pick from instead of the world's own catalog (a simulation reads the deployment's). */
  catalog?: Pick<CatalogStore, 'releasedSince' | 'getMany'>;
  coPurchases?: Pick<CoPurchaseStore, 'forSkus'>;
  ingestion: IngestDeps['settings'];
  /** The journey-jobs schedule's pace: FANOUT_EVENTS_PER_MINUTE and CAMPAIGN_SEND_RATE. */
  journeyJobs: Pick<RunJourneyJobsDeps['settings'], 'fanOutEventsPerRun' | 'campaignSendRate'>;
  /** SUNSET_AFTER: marketing email skips contacts not engaged this long; unset, no sunset. */
  sunsetAfter?: SunsetAfter;
}

/**
 * The composition root of the in-memory runtime: the use cases wired to one
 * MemoryWorld, as functions/composition-root.ts wires them to DynamoDB, SES, SNS
 * and EventBridge. Simulation runs on it, and so does the unit tier.
 */
export const memoryDeployment = (world: MemoryWorld, settings: MemoryDeploymentSettings) => {
  /** The journeys function's: live segments re-evaluated on contact changes, then journeys advanced. */
  const advance: HandleContactEventDeps = {
    journeys: world.journeys,
    enrollments: world.enrollments,
    contacts: world.contacts,
    stats: world.stats,
    timers: world.timers,
    clock: world.clock,
    settings: {
      defaultTimeZone: settings.defaultTimeZone,
      defaultCurrency: settings.ingestion.defaultCurrency,
    },
    segmentMembership: {
      liveSegments: () => world.segments.live(),
      memberships: world.segmentMemberships,
      clock: world.clock,
      ids: world.ids,
    },
    campaignGoals: {
      campaigns: world.campaigns,
      anyGoalMeasured: anyCampaignMeasuresGoal(() => world.campaigns.list(), world.clock),
      goals: world.campaignGoals,
      contacts: world.contacts,
      stats: world.stats,
      clock: world.clock,
      settings: { defaultCurrency: settings.ingestion.defaultCurrency },
    },
  };
  const deliver: DeliverDeps = {
    outbox: world.outbox,
    contacts: world.contacts,
    suppressions: world.suppressions,
    templates: world.templates,
    journeys: world.journeys,
    campaigns: world.campaigns,
    stats: world.stats,
    mailer: world.mailer,
    texter: world.texter,
    deferrals: world.timers,
    rateLimiter: world.rateLimiter,
    clock: world.clock,
    ids: world.ids,
    render: renderPublishedEmail,
    recommendations: recommendationSource({
      catalog: settings.catalog ?? world.catalog,
      coPurchases: settings.coPurchases ?? world.coPurchases,
      contacts: world.contacts,
    }),
    policy: settings.policy,
    sendingState: () => world.sendingState.get(),
    settings: {
      publicBaseUrl: settings.publicBaseUrl,
      tokenKeys: settings.tokenKeys,
      tokenTtlDays: settings.tokenTtlDays,
      sender: settings.sender,
      postalAddress: settings.postalAddress,
      defaultTimeZone: settings.defaultTimeZone,
      sms: settings.sms,
      emailSendRate: settings.emailSendRate,
      smsSendRate: settings.smsSendRate ?? defaultSmsSendRate,
      claimLeaseMs: timing.deliver.claimLeaseMs,
      sendWaitMs: timing.deliver.sendWaitMs,
      maxClaimWaitMs: timing.deliver.maxClaimWaitMs,
      ...(settings.sunsetAfter === undefined ? {} : { sunsetAfter: settings.sunsetAfter }),
    },
  };
  const ingest: IngestDeps = {
    store: world.ingestion,
    clicks: world.clicks,
    messages: world.outbox,
    stats: world.stats,
    customerValue: world.customerValue,
    coPurchases: world.coPurchases,
    contacts: world.contacts,
    catalog: world.catalog,
    clock: world.clock,
    ids: world.ids,
    settings: settings.ingestion,
  };
  /** The journey-jobs schedule's: counts, fan-outs, rescores, live segment passes and campaign launches. */
  const jobs: RunJourneyJobsDeps = {
    jobs: world.jobs,
    journeys: world.journeys,
    enrollments: world.enrollments,
    contacts: world.contacts,
    customerValue: world.customerValue,
    timers: world.timers,
    stats: world.stats,
    campaigns: world.campaigns,
    campaignAudience: world.campaignAudience,
    outbox: world.outbox,
    catalog: world.catalog,
    segments: world.segments,
    segmentMembership: advance.segmentMembership,
    events: world.events,
    clock: world.clock,
    settings: { defaultTimeZone: settings.defaultTimeZone, ...settings.journeyJobs },
  };
  /** The confirmation, unsubscribe and preference links' use cases. */
  const links = {
    contacts: world.contacts,
    clock: world.clock,
    ids: world.ids,
    tokenKeys: settings.tokenKeys,
    messages: world.outbox,
    stats: world.stats,
  };
  /** The admin templates function's: drafts, previews and tests sent through the world's mailer. */
  const templates: SendTestEmailDeps = {
    templates: world.templates,
    contacts: world.contacts,
    suppressions: world.suppressions,
    mailer: world.mailer,
    clock: world.clock,
    render: renderEmail,
    settings: {
      publicBaseUrl: settings.publicBaseUrl,
      postalAddress: settings.postalAddress,
      sender: settings.sender,
      defaultTimeZone: settings.defaultTimeZone,
    },
  };
  return { advance, deliver, ingest, jobs, links, templates };
};

export type MemoryDeployment = ReturnType<typeof memoryDeployment>;

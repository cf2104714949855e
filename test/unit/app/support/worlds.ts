import { MemoryWorld } from '../../../../lib/adapters/memory/memory-world.js';
import type { DeliverDeps } from '../../../../lib/app/deliver-message.js';
import type { HandleContactEventDeps } from '../../../../lib/app/handle-contact-event.js';
import type { IngestDeps } from '../../../../lib/app/ingest-events.js';
import type { RunJourneyJobsDeps } from '../../../../lib/app/run-journey-jobs.js';
import type { SignUpDeps } from '../../../../lib/app/sign-up.js';
import { RateLimitSetting, signupRateLimitDefaults } from '../../../../lib/config/rate-limit-setting.js';
import { TokenKeys } from '../../../../lib/config/runtime-env.js';
import { newSesAccountSendRate } from '../../../../lib/domain/campaign.js';
import { signupConfirmationLimits } from '../../../../lib/domain/confirmation-limits.js';
import type { Contact } from '../../../../lib/domain/contact.js';
import type { DeliveryPolicy } from '../../../../lib/domain/delivery-policy.js';
import type { Message } from '../../../../lib/domain/message.js';
import {
  type MemoryDeploymentSettings,
  memoryDeployment,
} from '../../../../lib/simulation/memory-deployment.js';
import { aSignup } from '../../../support/builders.js';
import { publishCompiled } from '../../../support/publish-compiled.js';

export { aJourneyMessage, anSmsMessage, aSubscribedContact } from '../../../support/builders.js';

/**
 * The use cases wired to one MemoryWorld, as the composition root wires them to
 * DynamoDB, SES, SNS and EventBridge: what the unit tier runs them on.
 */
export const aWorld = (start = '2026-11-23T12:00:00.000Z', timerShards = 2): MemoryWorld =>
  new MemoryWorld({ start, timerShards });

/** The settings the unit tier's deployment runs with. */
const testSettings = (policy: () => Promise<DeliveryPolicy | undefined>): MemoryDeploymentSettings => ({
  defaultTimeZone: 'UTC',
  publicBaseUrl: 'http://rapport.test',
  tokenKeys: TokenKeys.parse({ current: 'k1', k1: 'k'.repeat(40) }),
  tokenTtlDays: 90,
  sender: 'Rapport <hello@rapport.test>',
  postalAddress: '1 Test Street',
  sms: { senderId: 'Rapport', marketingType: 'Promotional', transactionalType: 'Transactional' },
  policy,
  ingestion: {
    messageDedupeDays: 30,
    orderDedupeDays: 400,
    attributionWindowDays: 7,
    defaultCurrency: 'EUR',
  },
  journeyJobs: { fanOutEventsPerRun: 600 },
  emailSendRate: newSesAccountSendRate,
});

/** The use cases wired to the world by the in-memory runtime's composition root. */
export const deploymentFor = (
  world: MemoryWorld,
  policy: () => Promise<DeliveryPolicy | undefined> = async () => undefined,
) => memoryDeployment(world, testSettings(policy));

/** The journeys function's: advanceJourneys, and live segments re-evaluated before it (handleContactEvent). */
export const advanceDepsFor = (world: MemoryWorld): HandleContactEventDeps => deploymentFor(world).advance;

/** Signup as the form runs it; `resendAfterMs` 0 lets a test sign one address up again at once. */
export const signUpDepsFor = (
  world: MemoryWorld,
  resendAfterMs = 0,
  maxUnanswered = signupConfirmationLimits.maxUnanswered,
): SignUpDeps => ({
  contacts: world.contacts,
  phones: world.phones,
  suppressions: world.suppressions,
  clock: world.clock,
  ids: world.ids,
  stats: world.stats,
  rateLimiter: world.rateLimiter,
  settings: {
    rateLimits: {
      perIp: RateLimitSetting.parse(signupRateLimitDefaults.perIp),
      perForm: RateLimitSetting.parse(signupRateLimitDefaults.perForm),
    },
    topics: ['newsletter'],
    redirectOrigins: [],
    wordingVersion: 'signup-v1',
    confirmationLimits: { resendAfterMs, maxUnanswered },
  },
});

/** Ingestion with the default settings; `overrides` replaces any part. */
export const ingestDepsFor = (world: MemoryWorld, overrides: Partial<IngestDeps> = {}): IngestDeps => ({
  ...deploymentFor(world).ingest,
  ...overrides,
});

/** The journey-jobs schedule's deps; `overrides` replaces any part, and any of the settings. */
export const jobDepsFor = (
  world: MemoryWorld,
  overrides: Partial<Omit<RunJourneyJobsDeps, 'settings'>> & {
    settings?: Partial<RunJourneyJobsDeps['settings']>;
  } = {},
): RunJourneyJobsDeps => {
  const { jobs } = deploymentFor(world);
  return { ...jobs, ...overrides, settings: { ...jobs.settings, ...overrides.settings } };
};

/** The wheel's shards in a delivery world. */
export const timerShards = 2;

export interface DeliveryWorld {
  world: MemoryWorld;
  deps: DeliverDeps;
  clock: MemoryWorld['clock'];
  contacts: MemoryWorld['contacts'];
  outbox: MemoryWorld['outbox'];
  timers: MemoryWorld['timers'];
  suppressions: MemoryWorld['suppressions'];
  /** Replaces the policy deliver reads. */
  usePolicy(policy: DeliveryPolicy | undefined): void;
  /** Stores the contact with its messages (queued or already sent). */
  add(contact: Contact, messages: Message[]): Promise<void>;
}

/** deliverMessage on a MemoryWorld, with a `news` template published and the policy the test sets. */
export const aDeliveryWorld = async (
  options: { now?: string; settings?: Partial<DeliverDeps['settings']> } = {},
): Promise<DeliveryWorld> => {
  const world = aWorld(options.now ?? '2026-11-23T12:00:00.000Z', timerShards);
  await publishCompiled(
    world.templates,
    {
      id: 'news',
      kind: 'marketing',
      subject: 'News',
      text: 'News. Unsubscribe: {{ links.unsubscribe }} Preferences: {{ links.preferences }} {{ postalAddress }}',
      mjml: '<mj-text>News</mj-text><mj-text><a href="{{ links.unsubscribe }}">Unsubscribe</a> <a href="{{ links.preferences }}">Preferences</a> {{ postalAddress }}</mj-text>',
    },
    world.clock.now(),
  );
  let policy: DeliveryPolicy | undefined;
  const { deliver } = deploymentFor(world, async () => policy);
  // No waiting for an abandoned claim unless a test asks: the unit tier's claims are never abandoned.
  const deps: DeliverDeps = {
    ...deliver,
    settings: { ...deliver.settings, maxClaimWaitMs: 0, ...options.settings },
  };
  return {
    world,
    deps,
    clock: world.clock,
    contacts: world.contacts,
    outbox: world.outbox,
    timers: world.timers,
    suppressions: world.suppressions,
    usePolicy: (next) => {
      policy = next;
    },
    add: async (contact, messages) => {
      await world.contacts.create(aSignup(contact, messages));
    },
  };
};

/** The stores the admin use cases need. */
export const adminStoresFor = (world: MemoryWorld) => ({
  journeys: world.journeys,
  templates: world.templates,
  stats: world.stats,
  jobs: world.jobs,
  ids: world.ids,
});

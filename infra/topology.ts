import { z } from 'zod';
import { streamRetries, timing } from '../lib/config/timing.js';
import { AdminRole } from '../lib/domain/admin-role.js';
import { ingestedDetailTypes } from '../lib/domain/bus-event.js';
import { outboundEventSource } from '../lib/domain/outbound-event.js';

/**
 * Every function and the trigger that invokes it, declared once. The CDK app
 * (infra/cloud) and the local runtime (infra/local) both build from this list,
 * so a function cannot exist in one runtime and not in the other.
 */

export const HttpMethod = z.enum(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']);
export type HttpMethod = z.infer<typeof HttpMethod>;

/** `public` routes are open; `admin` routes need IAM auth in the cloud and the admin bearer token locally. */
export const RouteAuth = z.enum(['public', 'admin']);
export type RouteAuth = z.infer<typeof RouteAuth>;

/**
 * A resource path as API Gateway takes it: literal segments and whole-segment `{name}`
 * parameters, nothing greedy (`{name+}`), so both runtimes match a path the same way.
 */
export const resourcePathPattern = /^\/$|^(\/([A-Za-z0-9._~-]+|\{[A-Za-z_][A-Za-z0-9_]*\}))+$/;

export const HttpRoute = z
  .object({
    method: HttpMethod,
    path: z.string().regex(resourcePathPattern, 'must be "/" or segments that are literal or a whole {name}'),
    auth: RouteAuth,
    /**
     * The least role an admin route needs (docs/roles-and-audit.md): reads are `viewer`,
     * changes `marketer`, keys, export and erasure `admin`. The HTTP chain refuses a
     * caller below it with 403, in both runtimes.
     */
    role: AdminRole.optional(),
    /**
     * A POST that changes nothing (a validation, a preview, a simulation): the audit
     * log, which records every change, leaves it out.
     */
    dryRun: z.literal(true).optional(),
    /**
     * A public route whose handler takes an ingestion API key (`authenticate`): the
     * gateway lets every request through, and the function refuses one without a valid key.
     */
    apiKey: z.literal(true).optional(),
  })
  .refine((route) => (route.auth === 'admin') === (route.role !== undefined), {
    message: 'an admin route declares the least role it needs, and a public route none',
    path: ['role'],
  })
  .refine((route) => route.apiKey === undefined || route.auth === 'public', {
    message: 'an admin route is guarded by the gateway, not by an API key',
    path: ['apiKey'],
  });
export type HttpRoute = z.infer<typeof HttpRoute>;

/**
 * A Lambda event filter pattern, in the EventBridge pattern syntax that event
 * source mappings accept. Kept as plain JSON so both runtimes read the same value.
 */
export const FilterPattern: z.ZodType<Record<string, unknown>> = z.record(z.string(), z.unknown());
export type FilterPattern = z.infer<typeof FilterPattern>;

export const HttpTrigger = z.object({
  kind: z.literal('http'),
  routes: z.array(HttpRoute).min(1),
});

export const TableStreamTrigger = z.object({
  kind: z.literal('table-stream'),
  batchSize: z.number().int().min(1).max(10_000),
  maxBatchingWindowSeconds: z.number().int().min(0).max(300),
  /** Records that match none of these never reach the function. */
  filters: z.array(FilterPattern).min(1),
  retryAttempts: z.number().int().min(0).max(10_000),
  maxRecordAgeSeconds: z.number().int().min(60).max(604_800),
  bisectBatchOnError: z.boolean(),
  reportBatchItemFailures: z.literal(true),
});

export const TopicName = z.enum(['ses-feedback', 'inbound-sms', 'reputation-alarm']);
export type TopicName = z.infer<typeof TopicName>;

export const TopicTrigger = z.object({
  kind: z.literal('topic'),
  topic: TopicName,
});

/** Runs once per deployment (a CloudFormation custom resource) and once at local start. */
export const DeploymentTrigger = z.object({ kind: z.literal('deployment') });

/**
 * Runs on a fixed rate: an EventBridge rule in the cloud, a timer in the local
 * runtime (faster there, so waits in end-to-end runs fire within seconds).
 */
export const ScheduleTrigger = z.object({
  kind: z.literal('schedule'),
  everyMinutes: z.number().int().min(1).max(1_440),
  localEverySeconds: z.number().int().min(1).max(3_600),
});

/**
 * A rule on the stack's event bus (the one journeys emit to): every event put
 * there that matches `pattern` invokes the function asynchronously, with
 * Lambda's retries and then a dead-letter queue. The pattern is EventBridge's
 * own syntax as plain JSON: the cloud puts it on an EventBridge rule, the local
 * EventBridge endpoint matches each PutEvents entry against it.
 */
export const BusRuleTrigger = z.object({
  kind: z.literal('bus-rule'),
  pattern: FilterPattern.refine((pattern) => Object.keys(pattern).length > 0, {
    message: 'an empty pattern would match every event on the bus',
  }),
});

export const Trigger = z.discriminatedUnion('kind', [
  HttpTrigger,
  TableStreamTrigger,
  TopicTrigger,
  DeploymentTrigger,
  ScheduleTrigger,
  BusRuleTrigger,
]);
export type Trigger = z.infer<typeof Trigger>;
export type TableStreamTrigger = z.infer<typeof TableStreamTrigger>;
export type HttpTrigger = z.infer<typeof HttpTrigger>;
export type TopicTrigger = z.infer<typeof TopicTrigger>;
export type DeploymentTrigger = z.infer<typeof DeploymentTrigger>;
export type ScheduleTrigger = z.infer<typeof ScheduleTrigger>;
export type BusRuleTrigger = z.infer<typeof BusRuleTrigger>;

/** What a function may touch; the cloud turns each into a grant, the local runtime ignores it. */
export const Access = z.object({
  table: z.enum(['read', 'read-write']),
  sendEmail: z.boolean(),
  tokenKeys: z.boolean(),
  /** SNS Publish to phone numbers and the opted-out check. */
  sendSms: z.boolean().optional(),
  /** EventBridge PutEvents on the stack's event bus. */
  putEvents: z.boolean().optional(),
  /**
   * Lambda Invoke on the functions whose failures become dead letters, to hand a
   * record back (a redrive); their deployed names come as FUNCTION_NAMES.
   */
  redrive: z.boolean().optional(),
  /**
   * Receive and delete on the SQS dead-letter queues (named in DEAD_LETTER_QUEUES),
   * and reads of the table's stream, to move what failed into the dead letters.
   */
  takeInDeadLetters: z.boolean().optional(),
});

export const FunctionSpec = z.object({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  /** Path from the repository root to the handler module; the module exports `handler`. */
  entry: z.string().regex(/^functions\/.+\.ts$/),
  description: z.string(),
  memoryMb: z.number().int().min(128).max(10_240),
  timeoutSeconds: z.number().int().min(1).max(900),
  trigger: Trigger,
  access: Access,
});
export type FunctionSpec = z.infer<typeof FunctionSpec>;

const publicRoute = (method: HttpMethod, path: string): HttpRoute => ({ method, path, auth: 'public' });
const apiKeyRoute = (method: HttpMethod, path: string): HttpRoute => ({
  method,
  path,
  auth: 'public',
  apiKey: true,
});
const adminRoute = (
  method: HttpMethod,
  path: string,
  role: AdminRole,
  { dryRun = false }: { dryRun?: boolean } = {},
): HttpRoute => ({ method, path, auth: 'admin', role, ...(dryRun ? { dryRun: true } : {}) });

/** Stream settings shared by the table consumers: small batches, bounded retries, poison records split out. */
const streamDefaults = {
  kind: 'table-stream',
  maxBatchingWindowSeconds: 0,
  ...streamRetries,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
} as const;

const insertsWithSortKeyPrefix = (prefix: string): FilterPattern => ({
  eventName: ['INSERT'],
  dynamodb: { Keys: { SK: { S: [{ prefix }] } } },
});

/** Events of these detail-types from any source but the excluded ones (Rapport's own, so nothing loops). */
const busEventsOf = (detailTypes: readonly string[], excludeSources: readonly string[]): FilterPattern => ({
  source: [{ 'anything-but': [...excludeSources] }],
  'detail-type': [...detailTypes],
});

export const topology: readonly FunctionSpec[] = z.array(FunctionSpec).parse([
  {
    name: 'site',
    entry: 'functions/http/site.ts',
    description: 'Health check and the example signup page.',
    memoryMb: 256,
    timeoutSeconds: 5,
    trigger: { kind: 'http', routes: [publicRoute('GET', '/'), publicRoute('GET', '/health')] },
    access: { table: 'read', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'signup',
    entry: 'functions/http/signup.ts',
    description: 'Accepts signup form posts and starts double opt-in.',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [publicRoute('POST', '/v1/signup'), publicRoute('OPTIONS', '/v1/signup')],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'confirm',
    entry: 'functions/http/confirm.ts',
    description: 'Shows and accepts the double opt-in confirmation.',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [publicRoute('GET', '/v1/confirm'), publicRoute('POST', '/v1/confirm')],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: true },
  },
  {
    name: 'unsubscribe',
    entry: 'functions/http/unsubscribe.ts',
    description: 'One-click unsubscribe (RFC 8058) and its confirmation page.',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [publicRoute('GET', '/v1/unsubscribe'), publicRoute('POST', '/v1/unsubscribe')],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: true },
  },
  {
    name: 'preferences',
    entry: 'functions/http/preferences.ts',
    description: 'The preference center: topics, or leaving altogether.',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [publicRoute('GET', '/v1/preferences'), publicRoute('POST', '/v1/preferences')],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: true },
  },
  {
    name: 'admin-contacts',
    entry: 'functions/http/admin-contacts.ts',
    description:
      'Operators look a contact up with its consent state and log, export everything held about it, erase it, and let the signup form mail it again.',
    memoryMb: 512,
    // An erasure pages through the whole partition, so more than a lookup needs; API Gateway waits 29 s at
    // most, and an erasure cut short is finished by the next request.
    timeoutSeconds: 29,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/contacts', 'viewer'),
        adminRoute('GET', '/admin/contacts/{id}', 'viewer'),
        adminRoute('GET', '/admin/contacts/{id}/export', 'admin'),
        adminRoute('DELETE', '/admin/contacts/{id}', 'admin'),
        adminRoute('POST', '/admin/contacts/{id}/confirmations', 'admin'),
      ],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-journeys',
    entry: 'functions/http/admin-journeys.ts',
    description:
      'Marketers list, draft, validate, publish, pause, resume, archive and migrate journeys and read their stats.',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/journeys', 'viewer'),
        adminRoute('GET', '/admin/journeys/{id}', 'viewer'),
        adminRoute('PUT', '/admin/journeys/{id}/draft', 'marketer'),
        adminRoute('POST', '/admin/journeys/{id}/validate', 'marketer', { dryRun: true }),
        adminRoute('POST', '/admin/journeys/{id}/publish', 'marketer'),
        adminRoute('POST', '/admin/journeys/{id}/pause', 'marketer'),
        adminRoute('POST', '/admin/journeys/{id}/resume', 'marketer'),
        adminRoute('POST', '/admin/journeys/{id}/archive', 'marketer'),
        adminRoute('POST', '/admin/journeys/{id}/migrate', 'marketer'),
        adminRoute('GET', '/admin/journeys/{id}/jobs', 'viewer'),
        adminRoute('GET', '/admin/journeys/{id}/versions', 'viewer'),
        adminRoute('GET', '/admin/journeys/{id}/versions/{version}', 'viewer'),
        adminRoute('GET', '/admin/journeys/{id}/stats', 'viewer'),
        adminRoute('GET', '/admin/journeys/{id}/report', 'viewer'),
        adminRoute('POST', '/admin/journeys/{id}/simulate', 'marketer', { dryRun: true }),
      ],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-segments',
    entry: 'functions/http/admin-segments.ts',
    description: 'Marketers save, validate, list and delete audience segments, and count their members.',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/segments', 'viewer'),
        adminRoute('POST', '/admin/segments/validate', 'marketer', { dryRun: true }),
        adminRoute('GET', '/admin/segments/{id}', 'viewer'),
        adminRoute('PUT', '/admin/segments/{id}', 'marketer'),
        adminRoute('DELETE', '/admin/segments/{id}', 'marketer'),
        adminRoute('POST', '/admin/segments/{id}/count', 'marketer'),
        adminRoute('GET', '/admin/segments/{id}/count', 'viewer'),
      ],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-campaigns',
    entry: 'functions/http/admin-campaigns.ts',
    description:
      'Marketers draft, validate, launch, pause, resume and cancel campaigns to a saved segment, and read their reports.',
    memoryMb: 512,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/campaigns', 'viewer'),
        adminRoute('GET', '/admin/campaigns/{id}', 'viewer'),
        adminRoute('PUT', '/admin/campaigns/{id}', 'marketer'),
        adminRoute('POST', '/admin/campaigns/{id}/validate', 'marketer', { dryRun: true }),
        adminRoute('POST', '/admin/campaigns/{id}/launch', 'marketer'),
        adminRoute('POST', '/admin/campaigns/{id}/pause', 'marketer'),
        adminRoute('POST', '/admin/campaigns/{id}/resume', 'marketer'),
        adminRoute('POST', '/admin/campaigns/{id}/cancel', 'marketer'),
        adminRoute('GET', '/admin/campaigns/{id}/report', 'viewer'),
      ],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-templates',
    entry: 'functions/http/admin-templates.ts',
    description:
      'Marketers draft, publish, preview and send tests of email templates and list their versions.',
    // MJML compiles the previews and trial renders.
    memoryMb: 1024,
    timeoutSeconds: 15,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/templates', 'viewer'),
        adminRoute('GET', '/admin/templates/{id}', 'viewer'),
        adminRoute('PUT', '/admin/templates/{id}/draft', 'marketer'),
        adminRoute('POST', '/admin/templates/{id}/publish', 'marketer'),
        adminRoute('GET', '/admin/templates/{id}/versions', 'viewer'),
        adminRoute('POST', '/admin/templates/{id}/preview', 'marketer', { dryRun: true }),
        adminRoute('POST', '/admin/templates/{id}/test-send', 'marketer'),
      ],
    },
    // A test goes out through SES to the address the marketer gives.
    access: { table: 'read-write', sendEmail: true, tokenKeys: false },
  },
  {
    name: 'ingest',
    entry: 'functions/http/ingest.ts',
    description:
      'Server-to-server ingestion of Segment identify and track calls (orders, refunds, views), one or a batch, with an API key.',
    memoryMb: 1024,
    // A batch of 500 calls is 500 small transactions.
    timeoutSeconds: 29,
    trigger: {
      kind: 'http',
      routes: [apiKeyRoute('POST', '/v1/events'), apiKeyRoute('POST', '/v1/batch')],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-api-keys',
    entry: 'functions/http/admin-api-keys.ts',
    description: 'Operators create, list and revoke the API keys that ingestion accepts.',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/api-keys', 'viewer'),
        adminRoute('POST', '/admin/api-keys', 'admin'),
        adminRoute('POST', '/admin/api-keys/{id}/revoke', 'admin'),
      ],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-reports',
    entry: 'functions/http/admin-reports.ts',
    description:
      'Marketers read where orders came from (by acquisition medium, source and campaign, and by journey), which value model scores customers, and the bounce and complaint rates of their mail.',
    memoryMb: 512,
    // A quarter's orders are read day by day through the index; API Gateway waits 29 s at most.
    timeoutSeconds: 29,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/reports/orders-by-source', 'viewer'),
        adminRoute('GET', '/admin/customer-value', 'viewer'),
        adminRoute('GET', '/admin/deliverability', 'viewer'),
      ],
    },
    access: { table: 'read', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-overview',
    entry: 'functions/http/admin-overview.ts',
    description:
      'Marketers read the last days at a glance: signups, sends, SES events, attributed orders and the busiest journeys and campaigns.',
    memoryMb: 256,
    // A quarter of counters for every journey and campaign is read day by day; API Gateway waits 29 s at most.
    timeoutSeconds: 29,
    trigger: { kind: 'http', routes: [adminRoute('GET', '/admin/overview', 'viewer')] },
    access: { table: 'read', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-audit',
    entry: 'functions/http/admin-audit.ts',
    description:
      'Anyone with a role reads the audit log (who changed what through the admin API, and when) and who they are signed in as.',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [adminRoute('GET', '/admin/audit', 'viewer'), adminRoute('GET', '/admin/me', 'viewer')],
    },
    access: { table: 'read', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-settings',
    entry: 'functions/http/admin-settings.ts',
    description:
      'Admins replace the delivery policy (frequency caps, quiet hours) and pause or resume marketing email; anyone with a role reads them and the topics contacts can pick.',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/delivery-policy', 'viewer'),
        adminRoute('PUT', '/admin/delivery-policy', 'admin'),
        adminRoute('POST', '/admin/delivery-policy/validate', 'admin', { dryRun: true }),
        adminRoute('GET', '/admin/topics', 'viewer'),
        adminRoute('GET', '/admin/sending', 'viewer'),
        adminRoute('POST', '/admin/sending/pause', 'admin'),
        adminRoute('POST', '/admin/sending/resume', 'admin'),
      ],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-dead-letters',
    entry: 'functions/http/admin-dead-letters.ts',
    description:
      'Operators list what failed for good, with why, and hand it back to the function that failed it once the cause is fixed.',
    memoryMb: 256,
    // A redrive of every dead letter stops taking more before this; API Gateway waits 29 s at most.
    timeoutSeconds: timing.deadLetters.adminTimeoutSeconds,
    trigger: {
      kind: 'http',
      routes: [
        // A dead letter holds the record as it failed, personal data included: admins only, as for an export.
        adminRoute('GET', '/admin/dead-letters', 'admin'),
        adminRoute('GET', '/admin/dead-letters/{id}', 'admin'),
        adminRoute('POST', '/admin/dead-letters/redrive', 'admin'),
      ],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false, redrive: true },
  },
  {
    name: 'ingest-bus',
    entry: 'functions/bus/ingest-bus.ts',
    description:
      'Ingests the purchases, refunds, views and identifies other AWS systems put on the event bus, as Segment calls.',
    memoryMb: 512,
    // Its chain's tries and the pauses between them (lib/config/timing.ts).
    timeoutSeconds: timing.ingestBus.timeoutSeconds,
    trigger: { kind: 'bus-rule', pattern: busEventsOf(ingestedDetailTypes, [outboundEventSource]) },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'admin-catalog',
    entry: 'functions/http/admin-catalog.ts',
    description:
      'Operators list, store, import (CSV or JSON) and remove products, publish a product to the contacts who buy in its category, and list the categories with their configured and learned replacement cycles.',
    memoryMb: 512,
    // An import stores up to 1,000 rows before it answers; API Gateway waits 29 s at most.
    timeoutSeconds: 29,
    trigger: {
      kind: 'http',
      routes: [
        adminRoute('GET', '/admin/products', 'viewer'),
        adminRoute('GET', '/admin/products/{sku}', 'viewer'),
        adminRoute('PUT', '/admin/products/{sku}', 'marketer'),
        adminRoute('DELETE', '/admin/products/{sku}', 'marketer'),
        adminRoute('POST', '/admin/products/import', 'marketer'),
        adminRoute('POST', '/admin/products/{sku}/publish', 'marketer'),
        adminRoute('GET', '/admin/products/{sku}/jobs', 'viewer'),
        adminRoute('GET', '/admin/categories', 'viewer'),
      ],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'journeys',
    entry: 'functions/stream/journeys.ts',
    description: 'Advances journey enrollments from new events and writes outbox messages.',
    memoryMb: 512,
    timeoutSeconds: timing.journeys.timeoutSeconds,
    trigger: {
      ...streamDefaults,
      batchSize: timing.journeys.batchSize,
      filters: [insertsWithSortKeyPrefix('EV#')],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'deliver',
    entry: 'functions/stream/deliver.ts',
    description:
      'Claims outbox messages, checks consent and the delivery policy at send time, and sends through SES v2 or SNS.',
    memoryMb: 1024,
    // Its worst batch: a claim abandoned by a timed-out invocation waited out, then every send taking its lease.
    timeoutSeconds: timing.deliver.timeoutSeconds,
    trigger: {
      ...streamDefaults,
      batchSize: timing.deliver.batchSize,
      filters: [insertsWithSortKeyPrefix('MSG#')],
    },
    access: { table: 'read-write', sendEmail: true, tokenKeys: true, sendSms: true },
  },
  {
    name: 'publish-events',
    entry: 'functions/stream/publish-events.ts',
    description:
      'Puts the events journeys emit (OUT# outbox items) on the EventBridge bus and marks them published.',
    memoryMb: 256,
    timeoutSeconds: timing.publishEvents.timeoutSeconds,
    trigger: {
      ...streamDefaults,
      batchSize: timing.publishEvents.batchSize,
      filters: [insertsWithSortKeyPrefix('OUT#')],
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false, putEvents: true },
  },
  {
    name: 'seed-content',
    entry: 'functions/deployment/seed-content.ts',
    description:
      'Publishes the journeys and templates shipped in the repository as new versions when they changed.',
    memoryMb: 512,
    timeoutSeconds: 60,
    trigger: { kind: 'deployment' },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'ses-feedback',
    entry: 'functions/topic/ses-feedback.ts',
    description: 'Suppresses bounced and complaining addresses and counts delivery events.',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: { kind: 'topic', topic: 'ses-feedback' },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'inbound-sms',
    entry: 'functions/topic/inbound-sms.ts',
    description: 'Unsubscribes and suppresses numbers that reply STOP on the two-way SMS topic.',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: { kind: 'topic', topic: 'inbound-sms' },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'reputation-alarm',
    entry: 'functions/topic/reputation-alarm.ts',
    description:
      'Pauses marketing email when a critical SES reputation alarm (bounce or complaint rate) fires.',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: { kind: 'topic', topic: 'reputation-alarm' },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'tick',
    entry: 'functions/schedule/tick.ts',
    description: 'Turns due timers into timer events, resuming from the stored cursor after an outage.',
    memoryMb: 512,
    // The tick stops itself well before this (its time budget) and the next one resumes.
    timeoutSeconds: timing.tick.timeoutSeconds,
    trigger: {
      kind: 'schedule',
      everyMinutes: timing.tick.everyMinutes,
      localEverySeconds: timing.tick.localEverySeconds,
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'customer-value',
    entry: 'functions/schedule/customer-value.ts',
    description:
      'Daily: base-wide RFM cuts, the fitted value models (BG/NBD, Gamma-Gamma) and the learned replacement cycles from every customer, then a job that rescores everyone.',
    memoryMb: 1024,
    timeoutSeconds: timing.customerValue.timeoutSeconds,
    trigger: {
      kind: 'schedule',
      everyMinutes: timing.customerValue.everyMinutes,
      localEverySeconds: timing.customerValue.localEverySeconds,
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'live-segments',
    entry: 'functions/schedule/live-segments.ts',
    description:
      'Daily: files the pass that re-evaluates every live segment on every contact, for what changes with time alone.',
    memoryMb: 256,
    timeoutSeconds: timing.liveSegments.timeoutSeconds,
    trigger: {
      kind: 'schedule',
      everyMinutes: timing.liveSegments.everyMinutes,
      localEverySeconds: timing.liveSegments.localEverySeconds,
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
  {
    name: 'dead-letter-intake',
    entry: 'functions/schedule/dead-letter-intake.ts',
    description:
      'Moves what reached the SQS dead-letter queues into the dead letters, reading a failed stream batch back from the stream while it still holds it.',
    memoryMb: 256,
    // Stops taking messages before this (its time budget); the next run takes the rest.
    timeoutSeconds: timing.deadLetters.intakeTimeoutSeconds,
    trigger: {
      kind: 'schedule',
      everyMinutes: timing.deadLetters.intakeEveryMinutes,
      localEverySeconds: timing.deadLetters.intakeLocalEverySeconds,
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false, takeInDeadLetters: true },
  },
  {
    name: 'journey-jobs',
    entry: 'functions/schedule/journey-jobs.ts',
    description:
      'Works through journey jobs a page at a time: migrations, archives, date-trigger backfills, product launch fan-outs at a capped rate, segment counts, and campaign launches and their paced sends.',
    memoryMb: 512,
    // Stops itself before this (its time budget); the next run resumes from the saved cursor.
    timeoutSeconds: timing.journeyJobs.timeoutSeconds,
    trigger: {
      kind: 'schedule',
      everyMinutes: timing.journeyJobs.everyMinutes,
      localEverySeconds: timing.journeyJobs.localEverySeconds,
    },
    access: { table: 'read-write', sendEmail: false, tokenKeys: false },
  },
]);

/**
 * The tag that ties each deployed function back to its topology entry: the cloud
 * stack puts it on every function, and `npm start -- --bundles` finds them by it.
 */
export const functionTagKey = 'rapport:function';

export const httpFunctions = (): Array<FunctionSpec & { trigger: HttpTrigger }> =>
  topology.flatMap((spec) => (spec.trigger.kind === 'http' ? [{ ...spec, trigger: spec.trigger }] : []));

export const streamFunctions = (): Array<FunctionSpec & { trigger: TableStreamTrigger }> =>
  topology.flatMap((spec) =>
    spec.trigger.kind === 'table-stream' ? [{ ...spec, trigger: spec.trigger }] : [],
  );

export const busRuleFunctions = (): Array<FunctionSpec & { trigger: BusRuleTrigger }> =>
  topology.flatMap((spec) => (spec.trigger.kind === 'bus-rule' ? [{ ...spec, trigger: spec.trigger }] : []));

/**
 * The topology's declaration of a route, by the key API Gateway hands the
 * function (`<method> <resource template>`); route keys are unique across the
 * topology, as they are in one REST API.
 */
export const declaredRoute = (() => {
  const byKey = new Map(
    httpFunctions().flatMap((spec) =>
      spec.trigger.routes.map((route) => [`${route.method} ${route.path}`, route]),
    ),
  );
  return (method: string, resource: string): HttpRoute | undefined => byKey.get(`${method} ${resource}`);
})();

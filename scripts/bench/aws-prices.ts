/**
 * us-east-1 list prices the cost benchmarks multiply by, in US dollars, as
 * published on the services' pricing pages (read December 2026; DynamoDB's
 * on-demand prices are those after the November 2024 reduction). Free tiers
 * are left out unless named: a bill at scale is past them. Check the pricing
 * pages before relying on a figure: prices change.
 */
export const pricesAsOf = '2026-12, us-east-1 list prices';

export const prices = {
  dynamodb: {
    /** On-demand, per million write request units (one per KB of a standard write). */
    writeUnitsPerMillion: 0.625,
    /** On-demand, per million read request units (one per 4 KB strongly consistent read). */
    readUnitsPerMillion: 0.125,
    /** Standard table class, per GB-month. */
    storageGbMonth: 0.25,
    /** Point-in-time recovery, per GB-month of table size. */
    pitrGbMonth: 0.2,
    /** GetRecords calls Lambda makes for a DynamoDB stream trigger are not charged. */
    streamReadsByLambda: 0,
  },
  lambda: {
    requestsPerMillion: 0.2,
    /** arm64, per GB-second (the first pricing tier). */
    arm64GbSecond: 0.0000133334,
  },
  apiGateway: {
    /** REST APIs, the first 333 million requests a month. */
    restRequestsPerMillion: 3.5,
  },
  eventBridge: {
    /** Custom events put on a bus (each 64 KB chunk is one event). */
    customEventsPerMillion: 1,
    /** Events of scheduled rules (`rate(...)`) are not charged. */
    scheduledRuleEvents: 0,
    /** EventBridge Scheduler, beyond 14 million invocations a month. */
    schedulerInvocationsPerMillion: 1,
  },
  ses: {
    /** Outbound email, per 1,000. */
    emailsPerThousand: 0.1,
  },
  sns: {
    /** One SMS part to a US number (base price; carrier fees come on top and vary by carrier and number type). */
    usSms: 0.00581,
    /** Publishes to a topic beyond the first million. */
    publishesPerMillion: 0.5,
    /** Email notifications from a topic, per 100,000. */
    emailNotificationsPer100k: 2,
  },
  cloudWatch: {
    /** A standard-resolution alarm, per alarm metric and month (a metric-math alarm pays per metric in it). */
    alarmMetricMonth: 0.1,
    /** A composite alarm, per month. */
    compositeAlarmMonth: 0.5,
    logsIngestedGb: 0.5,
    logsStoredGbMonth: 0.03,
  },
  kms: {
    /** A customer managed key, per month. */
    keyMonth: 1,
    requestsPer10k: 0.03,
  },
  secretsManager: {
    secretMonth: 0.4,
    apiCallsPer10k: 0.05,
  },
  sqs: { requestsPerMillion: 0.4 },
  s3: { storageGbMonth: 0.023 },
  xray: {
    /** Traces recorded beyond the first 100,000 a month. */
    tracesRecordedPerMillion: 5,
    freeTracesMonth: 100_000,
  },
  cognito: {
    /** Essentials: the first 10,000 monthly active users are free. */
    freeMonthlyActiveUsers: 10_000,
  },
  /**
   * Amazon Pinpoint's last published prices. Its engagement features (endpoints, segments,
   * campaigns, journeys, analytics) reached end of support on 30 October 2026; SMS and push
   * live on as AWS End User Messaging at the same per-message prices.
   */
  pinpoint: {
    /** Per endpoint targeted in a month (one per address and channel), beyond the first 5,000. */
    targetedEndpointMonth: 0.0012,
    freeTargetedEndpoints: 5_000,
    /** Per event collected, beyond the first 100 million a month. */
    eventsPerMillion: 1,
    freeEventsMonth: 100_000_000,
    emailsPerThousand: 0.1,
    usSms: 0.00581,
  },
} as const;

export const dollars = (value: number): string =>
  value >= 100
    ? `$${Math.round(value).toLocaleString('en-US')}`
    : value >= 1
      ? `$${value.toFixed(2)}`
      : `$${value.toFixed(value >= 0.01 ? 2 : 4)}`;

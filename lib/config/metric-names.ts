/** The CloudWatch namespace every function's Powertools metrics go to. */
export const metricsNamespace = 'Rapport';

/** Counted by deliver for each email held because SES paused the account's sending; an alarm watches it. */
export const sendingPausedMetric = 'SendingPaused';

/**
 * Counted for each dead letter written: by a stream function for a record that can never
 * succeed, and by the intake for what reached an SQS dead-letter queue; an alarm watches it.
 */
export const deadLetteredMetric = 'DeadLettered';

/** Counted by deliver for each text held because the account's monthly SMS spend limit is reached; an alarm watches it. */
export const smsSpendLimitMetric = 'SmsSpendLimitReached';

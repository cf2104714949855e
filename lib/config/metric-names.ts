/** The CloudWatch namespace every function's Powertools metrics go to. */
export const metricsNamespace = 'Rapport';

/** Counted by deliver for each email held because SES paused the account's sending; an alarm watches it. */
export const sendingPausedMetric = 'SendingPaused';

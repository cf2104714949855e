/**
 * The message CloudWatch publishes to an SNS topic when an alarm changes state,
 * as it arrives (the SNS record's `Message`, before JSON.stringify): here the
 * stack's critical complaint-rate alarm going into ALARM.
 */
export const cloudWatchAlarmMessage = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  AlarmName: 'Rapport-ses-complaint-rate-critical',
  AlarmDescription:
    'The SES account’s complaint rate reached 0.10 %: marketing email is paused (transactional mail goes on) until an operator resumes it.',
  AWSAccountId: '123456789012',
  AlarmConfigurationUpdatedTimestamp: '2026-11-20T09:14:02.118+0000',
  NewStateValue: 'ALARM',
  NewStateReason:
    'Threshold Crossed: 1 out of the last 1 datapoints [0.0013 (23/11/26 11:05:00)] was greater than or equal to the threshold (0.001) (minimum 1 datapoint for OK -> ALARM transition).',
  StateChangeTime: '2026-11-23T12:05:31.244+0000',
  Region: 'EU (Ireland)',
  AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:Rapport-ses-complaint-rate-critical',
  OldStateValue: 'OK',
  OKActions: [],
  AlarmActions: ['arn:aws:sns:eu-west-1:123456789012:Rapport-ReputationTopicDADCEAF0-AbCdEf123456'],
  InsufficientDataActions: [],
  Trigger: {
    MetricName: 'Reputation.ComplaintRate',
    Namespace: 'AWS/SES',
    StatisticType: 'Statistic',
    Statistic: 'MAXIMUM',
    Unit: null,
    Dimensions: [],
    Period: 3600,
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 0.001,
    TreatMissingData: 'notBreaching',
    EvaluateLowSampleCountPercentile: '',
  },
  ...overrides,
});

import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  functionEnvironment,
  functionsByEntry,
  resourcesOf,
  resourcesOfType,
  synthRapport,
} from './synth-rapport.js';

/** The alarms on the SES account's reputation metrics, by metric and threshold. */
const reputationAlarms = (template: Template) =>
  resourcesOfType(template, 'AWS::CloudWatch::Alarm')
    .filter(([, alarm]) => alarm.Properties.Namespace === 'AWS/SES')
    .map(([, alarm]) => alarm.Properties);

const alarmTopic = { Ref: Match.stringLikeRegexp('^AlarmsTopic') };
const reputationTopic = { Ref: Match.stringLikeRegexp('^ReputationTopic') };

describe('the SES reputation alarms, with rapport:alarmEmail', () => {
  let template: Template;

  beforeAll(() => {
    template = synthRapport().template;
  });

  it('watch the account-wide bounce and complaint rates at the warning and critical thresholds', () => {
    const alarms = reputationAlarms(template);

    expect(alarms.map((alarm) => [alarm.MetricName, alarm.Threshold, alarm.Dimensions ?? []]).sort()).toEqual(
      [
        ['Reputation.BounceRate', 0.02, []],
        ['Reputation.BounceRate', 0.05, []],
        ['Reputation.ComplaintRate', 0.0008, []],
        ['Reputation.ComplaintRate', 0.001, []],
      ],
    );
    for (const alarm of alarms)
      expect(alarm).toMatchObject({
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Statistic: 'Maximum',
        EvaluationPeriods: 1,
      });
  });

  it('tell the alarm email at a warning, and also the reputation topic at the critical rate', () => {
    for (const [metric, warning, critical] of [
      ['Reputation.BounceRate', 0.02, 0.05],
      ['Reputation.ComplaintRate', 0.0008, 0.001],
    ] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        Threshold: warning,
        AlarmActions: [alarmTopic],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        Threshold: critical,
        AlarmActions: Match.arrayWith([reputationTopic, alarmTopic]),
      });
    }
  });

  it('have names that say which rate and how bad, for the audit log’s cause', () => {
    expect(
      reputationAlarms(template)
        .map((alarm) => alarm.AlarmName)
        .sort(),
    ).toEqual([
      'Rapport-ses-bounce-rate-critical',
      'Rapport-ses-bounce-rate-warning',
      'Rapport-ses-complaint-rate-critical',
      'Rapport-ses-complaint-rate-warning',
    ]);
  });

  it('publish to an encrypted topic the reputation-alarm function takes, with a dead-letter queue', () => {
    const [topic] = resourcesOfType(template, 'AWS::SNS::Topic').filter(([id]) =>
      id.startsWith('ReputationTopic'),
    );
    expect(topic?.[1].Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^TopicKey/), 'Arn'],
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: reputationTopic,
      Endpoint: { 'Fn::GetAtt': [functionsByEntry(template).get('reputation-alarm'), 'Arn'] },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReputationDeadLetterQueue'), 'Arn'] },
      },
    });
  });
});

describe('when the thresholds are set in context', () => {
  const context = {
    'rapport:bounceRateWarning': '0.01',
    'rapport:bounceRateCritical': 0.04,
    'rapport:complaintRateWarning': '0.0005',
    'rapport:complaintRateCritical': '0.0009',
    'rapport:reputationMinSends': '500',
    'rapport:reputationWindowDays': 3,
  };

  it('alarm at them, and give the same numbers to the SES feedback function', () => {
    const { template } = synthRapport({ context });

    expect(
      reputationAlarms(template)
        .map((alarm) => alarm.Threshold)
        .sort(),
    ).toEqual([0.0005, 0.0009, 0.01, 0.04]);
    const feedbackId = functionsByEntry(template).get('ses-feedback') ?? '';
    expect(resourcesOf(template)[feedbackId]?.Properties.Environment).toMatchObject({
      Variables: {
        BOUNCE_RATE_WARNING: '0.01',
        BOUNCE_RATE_CRITICAL: '0.04',
        COMPLAINT_RATE_WARNING: '0.0005',
        COMPLAINT_RATE_CRITICAL: '0.0009',
        REPUTATION_MIN_SENDS: '500',
        REPUTATION_WINDOW_DAYS: '3',
      },
    });
  });
});

describe('when the thresholds are left unset', () => {
  it('give the SES feedback function the defaults the alarms use', () => {
    expect(functionEnvironment('ses-feedback', {})).toMatchObject({
      BOUNCE_RATE_WARNING: '0.02',
      BOUNCE_RATE_CRITICAL: '0.05',
      COMPLAINT_RATE_WARNING: '0.0008',
      COMPLAINT_RATE_CRITICAL: '0.001',
      REPUTATION_MIN_SENDS: '1000',
      REPUTATION_WINDOW_DAYS: '2',
    });
  });
});

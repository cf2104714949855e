import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.js';
import { resourcesOfType, synthRapport } from './synth-rapport.js';

describe('alarms and who is told of them', () => {
  it('creates only the alarms that act without rapport:alarmEmail, since each costs money whether or not anyone is told', () => {
    const { template } = synthRapport({ context: { 'rapport:alarmEmail': '' } });
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);

    // The critical reputation alarms pause marketing email by themselves, so they exist without a reader.
    expect(alarms.map((alarm) => alarm.AlarmName).sort()).toEqual([
      'Rapport-ses-bounce-rate-critical',
      'Rapport-ses-complaint-rate-critical',
    ]);
    for (const alarm of alarms)
      expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^ReputationTopic/) }]);
    expect(
      resourcesOfType(template, 'AWS::SNS::Subscription').map(([, r]) => r.Properties.Protocol),
    ).not.toContain('email');
  });

  it('creates an errors alarm for every function, and more, with rapport:alarmEmail', () => {
    const { template } = synthRapport({ context: { 'rapport:alarmEmail': 'ops@example.com' } });
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    const errors = alarms.filter(([, alarm]) => alarm.Properties.MetricName === 'Errors');
    expect(errors).toHaveLength(topology.length);
    expect(alarms.length).toBeGreaterThan(topology.length);
  });
});

describe('when SES pauses the account’s sending', () => {
  it('has an alarm on deliver’s SendingPaused count, and deliver is told the account’s rate', () => {
    const { template } = synthRapport({
      context: { 'rapport:alarmEmail': 'ops@example.com', 'rapport:sesMaxSendRate': '50' },
    });
    const paused = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties.MetricName === 'SendingPaused',
    );

    expect(paused).toHaveLength(1);
    expect(paused[0]?.[1].Properties).toMatchObject({
      Namespace: 'Rapport',
      Dimensions: [{ Name: 'service', Value: 'deliver' }],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'rapport:function', Value: 'deliver' }]),
      Environment: { Variables: Match.objectLike({ SES_MAX_SEND_RATE: '50' }) },
    });
  });
});

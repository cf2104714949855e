import { describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.js';
import { resourcesOfType, synthRapport } from './synth-rapport.js';

describe('alarms and who is told of them', () => {
  it('creates no alarm without rapport:alarmEmail, since each costs money whether or not anyone is told', () => {
    const { template } = synthRapport({ context: { 'rapport:alarmEmail': '' } });
    expect(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).toEqual([]);
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

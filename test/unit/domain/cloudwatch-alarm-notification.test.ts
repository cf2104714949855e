import { describe, expect, it } from 'vitest';
import {
  alarmPauseCause,
  InvalidAlarmNotificationError,
  parseCloudWatchAlarmNotification,
} from '../../../lib/domain/cloudwatch-alarm-notification.js';
import { cloudWatchAlarmMessage } from '../../support/cloudwatch-alarm-message.js';

describe('a CloudWatch alarm notification, as SNS delivers it', () => {
  it('gives the alarm, its new state, the reason, the metric and the time in ISO 8601', () => {
    const notification = parseCloudWatchAlarmNotification(JSON.stringify(cloudWatchAlarmMessage()));

    expect(notification).toMatchObject({
      AlarmName: 'Rapport-ses-complaint-rate-critical',
      NewStateValue: 'ALARM',
      OldStateValue: 'OK',
      NewStateReason: expect.stringContaining('Threshold Crossed'),
      StateChangeTime: '2026-11-23T12:05:31.244Z',
      Trigger: { MetricName: 'Reputation.ComplaintRate', Namespace: 'AWS/SES', Threshold: 0.001 },
    });
  });

  it('reads a state change back to OK', () => {
    const notification = parseCloudWatchAlarmNotification(
      JSON.stringify(cloudWatchAlarmMessage({ NewStateValue: 'OK', OldStateValue: 'ALARM' })),
    );

    expect(notification.NewStateValue).toBe('OK');
  });
});

describe('when the message is not an alarm notification', () => {
  it('refuses text that is not JSON', () => {
    expect(() => parseCloudWatchAlarmNotification('not json')).toThrow(InvalidAlarmNotificationError);
  });

  it('names the missing field', () => {
    const { AlarmName: _left, ...rest } = cloudWatchAlarmMessage();

    expect(() => parseCloudWatchAlarmNotification(JSON.stringify(rest))).toThrow(/AlarmName/);
  });

  it('names a state CloudWatch does not have', () => {
    expect(() =>
      parseCloudWatchAlarmNotification(JSON.stringify(cloudWatchAlarmMessage({ NewStateValue: 'FIRING' }))),
    ).toThrow(/NewStateValue/);
  });

  it('names a time that is not one', () => {
    expect(() =>
      parseCloudWatchAlarmNotification(
        JSON.stringify(cloudWatchAlarmMessage({ StateChangeTime: 'yesterday' })),
      ),
    ).toThrow(/StateChangeTime: must be a time/);
  });
});

describe('the cause a pause records', () => {
  it('is the alarm’s name and CloudWatch’s reason', () => {
    const notification = parseCloudWatchAlarmNotification(JSON.stringify(cloudWatchAlarmMessage()));

    expect(alarmPauseCause(notification)).toBe(
      'Rapport-ses-complaint-rate-critical: Threshold Crossed: 1 out of the last 1 datapoints [0.0013 (23/11/26 11:05:00)] was greater than or equal to the threshold (0.001) (minimum 1 datapoint for OK -> ALARM transition).',
    );
  });

  it('is cut to the 1000 characters a pause keeps', () => {
    const notification = parseCloudWatchAlarmNotification(
      JSON.stringify(cloudWatchAlarmMessage({ NewStateReason: 'x'.repeat(2000) })),
    );

    const cause = alarmPauseCause(notification);

    expect(cause).toHaveLength(1000);
    expect(cause.endsWith('…')).toBe(true);
  });
});

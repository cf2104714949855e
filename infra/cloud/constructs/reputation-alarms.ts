import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { percentText, type ReputationThresholds } from '../../../lib/domain/reputation.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { encryptedTopic } from './encrypted-topic.js';

export interface ReputationAlarmsProps {
  /** Encrypts the reputation topic; CloudWatch is allowed to use it here. */
  topicKey: kms.IKey;
  /** The topic `rapport:alarmEmail` reads; without it nobody is told and only the critical alarms exist. */
  alarmTopic: sns.ITopic | undefined;
  thresholds: Pick<ReputationThresholds, 'bounceRate' | 'complaintRate'>;
}

/** The SES account’s own reputation metrics: account-wide, without dimensions, as fractions of the mail sent. */
export const sesReputationNamespace = 'AWS/SES';
export const sesReputationMetrics = {
  bounceRate: 'Reputation.BounceRate',
  complaintRate: 'Reputation.ComplaintRate',
} as const;

const rates = [
  { key: 'bounceRate', id: 'BounceRate', words: 'bounce rate', name: 'bounce-rate' },
  { key: 'complaintRate', id: 'ComplaintRate', words: 'complaint rate', name: 'complaint-rate' },
] as const;

/**
 * CloudWatch alarms on the SES account's bounce and complaint rates. The warning
 * ones only tell `rapport:alarmEmail`. The critical ones also publish to the
 * reputation topic, whose function pauses marketing email: they act with nobody
 * reading, so they exist with or without the address ($0.10 a month each).
 */
export class ReputationAlarms extends Construct {
  /** Where the critical alarms publish; the reputation-alarm function subscribes. */
  readonly topic: sns.Topic;
  /** Alarm notifications the topic could not hand to the function, or the function failed on for good. */
  readonly deadLetterQueue: sqs.Queue;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ReputationAlarmsProps) {
    super(scope, id);
    this.topic = encryptedTopic(this, 'Topic', {
      displayName: 'Rapport SES reputation',
      key: props.topicKey,
      publisher: 'cloudwatch.amazonaws.com',
    });
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');

    const pause = new actions.SnsAction(this.topic);
    const tell = props.alarmTopic === undefined ? undefined : new actions.SnsAction(props.alarmTopic);
    const stackName = Stack.of(this).stackName;
    const alarms: cloudwatch.Alarm[] = [];
    for (const rate of rates) {
      const { warning, critical } = props.thresholds[rate.key];
      const metric = new cloudwatch.Metric({
        namespace: sesReputationNamespace,
        metricName: sesReputationMetrics[rate.key],
        // SES updates the rates over a representative volume of mail, not per minute.
        period: Duration.hours(1),
        statistic: 'Maximum',
      });
      const alarmOn = (level: 'warning' | 'critical', threshold: number, description: string) =>
        new cloudwatch.Alarm(this, `${rate.id}${level === 'warning' ? 'Warning' : 'Critical'}`, {
          alarmName: `${stackName}-ses-${rate.name}-${level}`,
          alarmDescription: description,
          metric,
          threshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          // The metrics only exist once the account has had a bounce or a complaint.
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
      if (tell !== undefined) {
        const alarm = alarmOn(
          'warning',
          warning,
          `The SES account’s ${rate.words} reached ${percentText(warning)}. At ${percentText(critical)} marketing email pauses by itself. Find the mailing behind it in the deliverability report and clean that audience.`,
        );
        alarm.addAlarmAction(tell);
        alarms.push(alarm);
      }
      const alarm = alarmOn(
        'critical',
        critical,
        `The SES account’s ${rate.words} reached ${percentText(critical)}: marketing email is paused (transactional mail goes on) until an operator resumes it with npx rapport sending resume or the console, once the cause is fixed.`,
      );
      alarm.addAlarmAction(pause);
      if (tell !== undefined) alarm.addAlarmAction(tell);
      alarms.push(alarm);
    }
    this.alarms = alarms;
  }

  subscribe(fn: lambda.IFunction): void {
    this.topic.addSubscription(
      new subscriptions.LambdaSubscription(fn, { deadLetterQueue: this.deadLetterQueue }),
    );
  }
}

import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  deadLetteredMetric,
  metricsNamespace,
  sendingPausedMetric,
  smsSpendLimitMetric,
} from '../../../lib/config/metric-names.js';
import { acknowledgeOnResource } from './acknowledge.js';
import { encryptedTopic } from './encrypted-topic.js';

export interface AlarmsProps {
  /** Encrypts the alarm topic; CloudWatch is allowed to use it here. */
  topicKey: kms.IKey;
  alarmEmail: string | undefined;
}

/** How far behind a stream consumer may fall before someone is told: records wait for timers and sends. */
const maxIteratorAge = Duration.seconds(60);
const period = Duration.minutes(5);

/**
 * Alarms an operator must see: dead letters, stream consumers falling behind, and failing functions.
 * Only with an address to tell (`rapport:alarmEmail`): each alarm costs $0.10 a month whether or
 * not anyone is told, and without the address the metrics are still in CloudWatch to look at.
 */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  /** Whether the alarms are created: only when someone is told of them. */
  readonly enabled: boolean;
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.enabled = props.alarmEmail !== undefined;
    this.topic = encryptedTopic(this, 'Topic', {
      displayName: 'Rapport alarms',
      key: props.topicKey,
      publisher: 'cloudwatch.amazonaws.com',
    });
    if (props.alarmEmail !== undefined) {
      const subscription = this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      acknowledgeOnResource(subscription, {
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'A dead letter for an undeliverable alarm email would go unread too; the alarm state stays in CloudWatch.',
      });
    }
    this.action = new actions.SnsAction(this.topic);
  }

  deadLetters(id: string, queue: sqs.IQueue, what: string): void {
    this.wire(
      () =>
        new cloudwatch.Alarm(this, `${id}Depth`, {
          alarmDescription: `${what} reached the dead-letter queue; inspect and replay it.`,
          metric: queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    );
  }

  iteratorAge(id: string, fn: lambda.IFunction, name: string): void {
    this.wire(
      () =>
        new cloudwatch.Alarm(this, `${id}IteratorAge`, {
          alarmDescription: `${name} is more than ${maxIteratorAge.toSeconds()} s behind the table stream.`,
          metric: fn.metric('IteratorAge', { period, statistic: 'Maximum' }),
          threshold: maxIteratorAge.toMilliseconds(),
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    );
  }

  errors(id: string, fn: lambda.IFunction, name: string): void {
    this.wire(
      () =>
        new cloudwatch.Alarm(this, `${id}Errors`, {
          alarmDescription: `${name} failed invocations.`,
          metric: fn.metricErrors({ period, statistic: 'Sum' }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    );
  }

  /**
   * SES paused or suspended the account's sending: every email waits (deferred, nothing
   * lost) until it resumes, which needs someone to look at the account's reputation.
   */
  sendingPaused(service: string): void {
    this.whenCounted(
      'SendingPaused',
      'SES has paused the account’s email sending; messages wait and go once it resumes. Check the account’s reputation in the SES console.',
      sendingPausedMetric,
      service,
    );
  }

  /**
   * A record or event was dead-lettered: it waits for someone to fix its cause and
   * redrive it (`rapport dead-letters`). Counted by a stream function for a record
   * that can never succeed, and by the intake for what reached an SQS queue.
   */
  deadLettered(id: string, service: string): void {
    this.whenCounted(
      `${id}DeadLettered`,
      `${service} dead-lettered something; see rapport dead-letters list, fix the cause and redrive it.`,
      deadLetteredMetric,
      service,
    );
  }

  /**
   * The account's monthly SMS spend limit is reached: every text waits (deferred,
   * nothing lost) and goes by itself in a new month or once the limit is raised.
   */
  smsSpendLimitReached(service: string): void {
    this.whenCounted(
      'SmsSpendLimitReached',
      'The account’s monthly SMS spend limit is reached; texts wait and go once it has room (a new month, or a higher MonthlySpendLimit in the SNS text messaging preferences).',
      smsSpendLimitMetric,
      service,
    );
  }

  /** An alarm on the first count of one of Rapport's own metrics for a service, within a period. */
  private whenCounted(id: string, description: string, metricName: string, service: string): void {
    this.wire(
      () =>
        new cloudwatch.Alarm(this, id, {
          alarmDescription: description,
          metric: new cloudwatch.Metric({
            namespace: metricsNamespace,
            metricName,
            dimensionsMap: { service },
            period,
            statistic: 'Sum',
          }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
    );
  }

  /**
   * A scheduled function that stopped running (a disabled rule, a broken
   * permission) fails silently otherwise: timers would simply stop firing.
   */
  notRunning(id: string, fn: lambda.IFunction, name: string, everyMinutes: number): void {
    const window = Duration.minutes(Math.max(5, everyMinutes * 5));
    this.wire(
      () =>
        new cloudwatch.Alarm(this, `${id}NotRunning`, {
          alarmDescription: `${name} has not run for ${window.toMinutes()} minutes; timers are not firing.`,
          metric: fn.metricInvocations({ period: window, statistic: 'Sum' }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
    );
  }

  private wire(create: () => cloudwatch.Alarm): void {
    if (this.enabled) create().addAlarmAction(this.action);
  }
}

import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from './dead-letter-queue.js';

export interface InboundSmsProps {
  /** Encrypts the topic; AWS End User Messaging is allowed to use it here. */
  topicKey: kms.IKey;
}

/** The service that publishes two-way SMS replies (AWS End User Messaging SMS and voice). */
export const smsVoicePrincipal = 'sms-voice.amazonaws.com';

/**
 * The two-way SMS topic: point a phone number's two-way channel at its ARN (the
 * `InboundSmsTopicArn` output) and replies such as STOP reach the inbound-sms function.
 */
export class InboundSms extends Construct {
  readonly topic: sns.Topic;
  /** Replies the topic could not hand to the function, or the function failed on for good. */
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: InboundSmsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Rapport inbound SMS',
      enforceSSL: true,
      masterKey: props.topicKey,
    });
    const service = new iam.ServicePrincipal(smsVoicePrincipal);
    // Only numbers in this account may publish, so another account's number cannot forge a STOP.
    const fromThisAccount = { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [service],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    props.topicKey.grant(service, 'kms:GenerateDataKey*', 'kms:Decrypt');
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
  }

  subscribe(fn: lambda.IFunction): void {
    this.topic.addSubscription(
      new subscriptions.LambdaSubscription(fn, { deadLetterQueue: this.deadLetterQueue }),
    );
  }
}

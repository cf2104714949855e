import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { createDeadLetterQueue } from './dead-letter-queue.js';

export interface SesFeedbackProps {
  /** Encrypts the feedback topic; SES is allowed to use it here. */
  topicKey: kms.IKey;
  /** The verified address or domain to create, when the stack manages it. */
  sesIdentity: string | undefined;
  /** The From address; its domain is the identity to grant on when the stack does not manage one. */
  senderAddress: string;
}

/** Every event SES can report for a message: the feedback function decides which ones matter. */
export const feedbackEvents = [
  ses.EmailSendingEvent.SEND,
  ses.EmailSendingEvent.REJECT,
  ses.EmailSendingEvent.BOUNCE,
  ses.EmailSendingEvent.COMPLAINT,
  ses.EmailSendingEvent.DELIVERY,
  ses.EmailSendingEvent.DELIVERY_DELAY,
  ses.EmailSendingEvent.OPEN,
  ses.EmailSendingEvent.CLICK,
  ses.EmailSendingEvent.RENDERING_FAILURE,
] as const;

/**
 * The SES v2 configuration set every message is sent with, its event
 * destination (an encrypted SNS topic), and the sender identity.
 */
export class SesFeedback extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly topic: sns.Topic;
  /** Feedback the topic could not hand to a subscriber, or a subscriber failed on for good. */
  readonly deadLetterQueue: sqs.Queue;
  readonly identity: ses.IEmailIdentity;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
    });

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Rapport SES feedback',
      enforceSSL: true,
      masterKey: props.topicKey,
    });
    props.topicKey.grant(
      new iam.ServicePrincipal('ses.amazonaws.com'),
      'kms:GenerateDataKey*',
      'kms:Decrypt',
    );

    this.configurationSet.addEventDestination('Sns', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [...feedbackEvents],
    });

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.identity = this.senderIdentity(props);
  }

  subscribe(fn: lambda.IFunction): void {
    this.topic.addSubscription(
      new subscriptions.LambdaSubscription(fn, { deadLetterQueue: this.deadLetterQueue }),
    );
  }

  private senderIdentity(props: SesFeedbackProps): ses.IEmailIdentity {
    const { sesIdentity } = props;
    if (sesIdentity === undefined) {
      const domain = props.senderAddress.slice(props.senderAddress.lastIndexOf('@') + 1);
      return ses.EmailIdentity.fromEmailIdentityName(this, 'SenderIdentity', domain);
    }
    return new ses.EmailIdentity(this, 'Identity', {
      identity: sesIdentity.includes('@')
        ? ses.Identity.email(sesIdentity)
        : ses.Identity.domain(sesIdentity),
      configurationSet: this.configurationSet,
    });
  }
}

import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { mailFromDomainOf } from '../../../lib/domain/sender-dns-records.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';
import { encryptedTopic } from './encrypted-topic.js';

export interface SesFeedbackProps {
  /** Encrypts the feedback topic; SES is allowed to use it here. */
  topicKey: kms.IKey;
  /** The verified address or domain to create, when the stack manages it. */
  sesIdentity: string | undefined;
  /** The From address; its domain is the identity to grant on when the stack does not manage one. */
  senderAddress: string;
  /** The custom MAIL FROM domain's label under a domain identity the stack manages (`bounce`). */
  mailFromSubdomain: string;
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
  /** The identity when it is a domain the stack manages: its DKIM and MAIL FROM records are Rapport's to publish. */
  readonly domainIdentity: ses.EmailIdentity | undefined;

  constructor(scope: Construct, id: string, props: SesFeedbackProps) {
    super(scope, id);
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
    });

    this.topic = encryptedTopic(this, 'Topic', {
      displayName: 'Rapport SES feedback',
      key: props.topicKey,
      publisher: 'ses.amazonaws.com',
    });

    this.configurationSet.addEventDestination('Sns', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [...feedbackEvents],
    });

    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
    this.domainIdentity = this.domainSenderIdentity(props);
    this.identity = this.domainIdentity ?? this.senderIdentity(props);
  }

  subscribe(fn: lambda.IFunction): void {
    this.topic.addSubscription(
      new subscriptions.LambdaSubscription(fn, { deadLetterQueue: this.deadLetterQueue }),
    );
  }

  /**
   * Easy DKIM with 2048-bit keys signs as the domain, and the MAIL FROM subdomain
   * makes the envelope sender the domain's own: SPF and DKIM then both align with
   * the From domain, as DMARC asks. Until its MX record exists, SES sends with its
   * own MAIL FROM (amazonses.com) rather than refusing the mail.
   */
  private domainSenderIdentity(props: SesFeedbackProps): ses.EmailIdentity | undefined {
    const { sesIdentity } = props;
    if (sesIdentity === undefined || sesIdentity.includes('@')) return undefined;
    return new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.domain(sesIdentity),
      configurationSet: this.configurationSet,
      dkimIdentity: ses.DkimIdentity.easyDkim(ses.EasyDkimSigningKeyLength.RSA_2048_BIT),
      mailFromDomain: mailFromDomainOf(sesIdentity, props.mailFromSubdomain),
      mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
    });
  }

  private senderIdentity(props: SesFeedbackProps): ses.IEmailIdentity {
    const { sesIdentity } = props;
    if (sesIdentity === undefined) {
      const domain = props.senderAddress.slice(props.senderAddress.lastIndexOf('@') + 1);
      return ses.EmailIdentity.fromEmailIdentityName(this, 'SenderIdentity', domain);
    }
    return new ses.EmailIdentity(this, 'Identity', {
      identity: ses.Identity.email(sesIdentity),
      configurationSet: this.configurationSet,
    });
  }
}

import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import {
  CheckIfPhoneNumberIsOptedOutCommand,
  type MessageAttributeValue,
  PublishCommand,
  SNSClient,
  SNSServiceException,
} from '@aws-sdk/client-sns';
import { readAtMostEvery } from '../../config/read-at-most-every.js';
import { TexterOptedOutError, TexterRejectedError, TexterThrottledError } from '../../domain/errors.js';
import type { OutgoingSms, Texter } from '../../ports/texter.js';
import { SmsSpendLimit } from './sms-spend-limit.js';

export interface SnsTexterOptions {
  region: string;
  /** Set for the local SNS endpoint; absent in AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * Read the account's SMS spend against its monthly limit before texts go (AWS only:
   * CloudWatch holds the spend; the local endpoint charges nothing and has no limit).
   */
  watchSpend?: boolean;
}

/** How long the spend read is kept: the metric moves by minutes, and a send must not cost two more calls. */
export const spendReadMaxAgeMs = 60_000;

/**
 * The per-message SMS settings SNS reads from message attributes. The origination
 * number attribute carries the older Pinpoint (`AWS.MM`) prefix; SNS still reads it under that name.
 */
export const smsAttributeNames = {
  smsType: 'AWS.SNS.SMS.SMSType',
  senderId: 'AWS.SNS.SMS.SenderID',
  originationNumber: 'AWS.MM.SMS.OriginationNumber',
} as const;

/**
 * Still refused after the SDK's own retries: the message should wait and go later.
 * Publish answers `ThrottlingException` ("Rate exceeded") past the account's API rate;
 * the SMS actions (the opt-out check, the SMS attributes) answer `Throttled`.
 */
const slowDown = new Set([
  'ThrottledException',
  'Throttled',
  'ThrottlingException',
  'Throttling',
  'KMSThrottlingException',
]);

/** Refused for this message whatever the timing. */
const refused = new Set([
  'InvalidParameterException',
  'InvalidParameter',
  'InvalidParameterValueException',
  'ParameterValueInvalid',
  'ValidationException',
]);

/**
 * SNS's name for a number on the account's opt-out list. Publish itself accepts such
 * a number and drops the text (the opt-out check before sending is what catches it);
 * should any call answer with it, it means the same.
 */
const optedOut = new Set(['OptedOutException', 'OptedOut']);

const stringAttribute = (value: string): MessageAttributeValue => ({
  DataType: 'String',
  StringValue: value,
});

export const smsMessageAttributes = (sms: OutgoingSms): Record<string, MessageAttributeValue> => ({
  [smsAttributeNames.smsType]: stringAttribute(sms.smsType),
  ...(sms.senderId === undefined ? {} : { [smsAttributeNames.senderId]: stringAttribute(sms.senderId) }),
  ...(sms.originationNumber === undefined
    ? {}
    : { [smsAttributeNames.originationNumber]: stringAttribute(sms.originationNumber) }),
});

export class SnsTexter implements Texter {
  private readonly client: SNSClient;
  private readonly spend: (() => Promise<boolean>) | undefined;

  constructor(options: SnsTexterOptions) {
    this.client = new SNSClient({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      // Throttling is retried here with backoff, and adaptive mode slows the client to the rate SNS allows.
      maxAttempts: 5,
      retryMode: 'adaptive',
    });
    const clock = { now: () => new Date() };
    const limit =
      options.watchSpend === true
        ? new SmsSpendLimit(this.client, {
            region: options.region,
            ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
          })
        : undefined;
    this.spend =
      limit === undefined
        ? undefined
        : readAtMostEvery(spendReadMaxAgeMs, () => limit.reached(clock.now()), clock);
  }

  async spendLimitReached(): Promise<boolean> {
    if (this.spend === undefined) return false;
    try {
      return await this.spend();
    } catch (error) {
      throw toTexterError(error);
    }
  }

  async send(sms: OutgoingSms): Promise<{ providerMessageId: string }> {
    try {
      const { MessageId } = await this.client.send(
        new PublishCommand({
          PhoneNumber: sms.to,
          Message: sms.body,
          MessageAttributes: smsMessageAttributes(sms),
        }),
      );
      if (MessageId === undefined) throw new Error('SNS accepted the SMS but returned no MessageId');
      return { providerMessageId: MessageId };
    } catch (error) {
      throw toTexterError(error);
    }
  }

  async isOptedOut(phoneNumber: string): Promise<boolean> {
    try {
      const { isOptedOut } = await this.client.send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber }));
      // Assuming "not opted out" on a missing answer would text someone who said STOP.
      if (isOptedOut === undefined) throw new Error('SNS answered the opt-out check without isOptedOut');
      return isOptedOut;
    } catch (error) {
      throw toTexterError(error);
    }
  }
}

/** What an SNS (or CloudWatch) error means for the message, once the SDK's own retries are spent. */
export const toTexterError = (error: unknown): unknown => {
  // The spend read asks CloudWatch too; its throttling means the same.
  if (!(error instanceof SNSServiceException || error instanceof CloudWatchServiceException)) return error;
  const status = error.$metadata.httpStatusCode ?? 0;
  if (slowDown.has(error.name) || status === 429 || status >= 500) {
    return new TexterThrottledError(`${error.name}: ${error.message}`, { cause: error });
  }
  if (optedOut.has(error.name))
    return new TexterOptedOutError(`${error.name}: ${error.message}`, { cause: error });
  if (refused.has(error.name))
    return new TexterRejectedError(`${error.name}: ${error.message}`, { cause: error });
  return error;
};

import { SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { MailerPausedError, MailerRejectedError, MailerThrottledError } from '../../domain/errors.js';
import type { Mailer, OutgoingEmail } from '../../ports/mailer.js';

export interface SesMailerOptions {
  region: string;
  /** Set for the local emulator; absent in AWS. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Routes bounce, complaint, delivery, open and click events to the feedback topic. */
  configurationSetName?: string;
}

/** Still refused after the SDK's own retries: the message should wait and go later. */
const slowDown = new Set(['TooManyRequestsException', 'ThrottlingException', 'LimitExceededException']);

/** The account may not send at all until SES (or its owner) lets it again. */
const paused = new Set(['SendingPausedException', 'AccountSuspendedException']);

/** Refused for this message whatever the timing. */
const refused = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'BadRequestException',
  'NotFoundException',
]);

const maxTagLength = 256;

/** SES accepts only [A-Za-z0-9_.@-] in tag names and values, at most 256 characters. */
export const sanitizeTagPart = (part: string): string =>
  part.replace(/[^A-Za-z0-9_.@-]/g, '_').slice(0, maxTagLength);

export class SesMailer implements Mailer {
  private readonly client: SESv2Client;
  private readonly configurationSetName: string | undefined;

  constructor(options: SesMailerOptions) {
    this.client = new SESv2Client({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      // Throttling is retried here with backoff, and adaptive mode slows the client to the rate SES allows.
      maxAttempts: 5,
      retryMode: 'adaptive',
    });
    this.configurationSetName = options.configurationSetName;
  }

  async send(email: OutgoingEmail): Promise<{ providerMessageId: string }> {
    const tags = Object.entries(email.tags)
      .map(([name, value]) => ({ Name: sanitizeTagPart(name), Value: sanitizeTagPart(value) }))
      .filter((tag) => tag.Name !== '');
    try {
      const { MessageId } = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: email.html, Charset: 'UTF-8' },
                Text: { Data: email.text, Charset: 'UTF-8' },
              },
              Headers: email.headers.map((header) => ({ Name: header.name, Value: header.value })),
            },
          },
          ...(this.configurationSetName === undefined
            ? {}
            : { ConfigurationSetName: this.configurationSetName }),
          ...(tags.length === 0 ? {} : { EmailTags: tags }),
        }),
      );
      if (MessageId === undefined) throw new Error('SES accepted the message but returned no MessageId');
      return { providerMessageId: MessageId };
    } catch (error) {
      throw toMailerError(error);
    }
  }
}

/** What an SES error means for the message, once the SDK's own retries are spent. */
export const toMailerError = (error: unknown): unknown => {
  if (!(error instanceof SESv2ServiceException)) return error;
  const status = error.$metadata.httpStatusCode ?? 0;
  if (paused.has(error.name))
    return new MailerPausedError(`${error.name}: ${error.message}`, { cause: error });
  if (slowDown.has(error.name) || status >= 500) {
    return new MailerThrottledError(`${error.name}: ${error.message}`, { cause: error });
  }
  if (refused.has(error.name))
    return new MailerRejectedError(`${error.name}: ${error.message}`, { cause: error });
  return error;
};

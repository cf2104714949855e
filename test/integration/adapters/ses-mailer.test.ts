import { createServer, type Server } from 'node:http';
import { SESv2ServiceException } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { freePort } from '../../../infra/local/free-port.js';
import { SesMailer, sanitizeTagPart, toMailerError } from '../../../lib/adapters/ses/ses-mailer.js';
import { MailerPausedError, MailerRejectedError, MailerThrottledError } from '../../../lib/domain/errors.js';
import type { OutgoingEmail } from '../../../lib/ports/mailer.js';
import { newId } from '../support/builders.js';
import '../support/provided-context.js';
import { readSesStore } from '../support/ses-store.js';

const mailer = (): SesMailer =>
  new SesMailer({
    region: localRegion,
    endpoint: inject('sesEndpoint'),
    credentials: localCredentials,
    configurationSetName: 'rapport-feedback',
  });

const anEmail = (overrides: Partial<OutgoingEmail> = {}): OutgoingEmail => {
  const to = `${newId().toLowerCase()}@example.com`;
  return {
    from: 'Rapport <news@example.com>',
    to,
    subject: 'Welcome aboard ✉',
    html: '<p>Hello <strong>there</strong></p>',
    text: 'Hello there',
    headers: [
      {
        name: 'List-Unsubscribe',
        value: `<https://example.com/u/${newId()}>, <mailto:unsubscribe@example.com>`,
      },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    ],
    tags: { messageKey: 'enrollment-1#hello#1', contactId: newId() },
    ...overrides,
  };
};

describe('the SES mailer', () => {
  describe('when it sends an email', () => {
    it('hands SES the subject, recipient, both bodies and the unsubscribe headers', async () => {
      const email = anEmail();

      const { providerMessageId } = await mailer().send(email);

      const stored = (await readSesStore(inject('sesEndpoint'))).find(
        (sent) => sent.messageId === providerMessageId,
      );
      expect(stored).toMatchObject({
        from: email.from,
        destination: { to: [email.to] },
        subject: email.subject,
        body: { html: email.html, text: email.text },
      });
      expect(stored?.headers).toEqual(expect.arrayContaining(email.headers));
    });
  });
});

/**
 * The emulator answers every refusal with an untyped 400, so SES's typed errors
 * come from a server that speaks SES's error protocol (the error type in
 * `x-amzn-ErrorType`), through the real SDK and its retries.
 */
describe('when SES answers with an error', () => {
  let server: Server;
  let endpoint: string;
  let answer: { status: number; type: string };
  let requests = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      request.resume();
      request.on('end', () => {
        response.writeHead(answer.status, {
          'content-type': 'application/json',
          'x-amzn-ErrorType': answer.type,
        });
        response.end(JSON.stringify({ message: `${answer.type} from the test server` }));
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const sendWith = (status: number, type: string): Promise<unknown> => {
    answer = { status, type };
    requests = 0;
    return new SesMailer({ region: localRegion, endpoint, credentials: localCredentials }).send(anEmail());
  };

  it.each([
    [400, 'MessageRejected'],
    [400, 'MailFromDomainNotVerifiedException'],
    [400, 'BadRequestException'],
    [404, 'NotFoundException'],
  ])('reports a %i %s as a rejection that keeps the reason, without retrying', async (status, type) => {
    const send = sendWith(status, type);

    await expect(send).rejects.toBeInstanceOf(MailerRejectedError);
    await expect(send).rejects.toThrow(`${type} from the test server`);
    expect(requests).toBe(1);
  });

  it('reports a server error the SDK could not retry away as throttling', async () => {
    await expect(sendWith(503, 'ServiceUnavailable')).rejects.toBeInstanceOf(MailerThrottledError);
    expect(requests).toBe(5);
  });

  it('retries throttling inside the SDK before reporting it', async () => {
    await expect(sendWith(429, 'TooManyRequestsException')).rejects.toBeInstanceOf(MailerThrottledError);
    expect(requests).toBe(5);
    // The SDK backs off several seconds between throttled attempts.
  }, 60_000);
});

describe('classifying SES errors', () => {
  const sesError = (name: string, httpStatusCode: number) =>
    new SESv2ServiceException({
      name,
      $fault: 'client',
      $metadata: { httpStatusCode },
      message: `${name} said no`,
    });

  it.each([
    ['TooManyRequestsException', 429],
    ['ThrottlingException', 400],
    ['LimitExceededException', 400],
    ['InternalFailure', 500],
  ])('treats %s as a reason to retry later', (name, status) => {
    const mapped = toMailerError(sesError(name, status));

    expect(mapped).toBeInstanceOf(MailerThrottledError);
    expect(mapped).toHaveProperty('message', expect.stringContaining(`${name} said no`));
  });

  it.each(['SendingPausedException', 'AccountSuspendedException'])(
    'treats %s as the account paused: messages wait for it to resume',
    (name) => {
      const mapped = toMailerError(sesError(name, 400));

      expect(mapped).toBeInstanceOf(MailerPausedError);
      expect(mapped).toHaveProperty('message', expect.stringContaining(`${name} said no`));
    },
  );

  it('passes on errors that say nothing about the message, such as missing permissions', () => {
    const denied = sesError('AccessDeniedException', 403);

    expect(toMailerError(denied)).toBe(denied);
  });
});

describe('tag sanitizing', () => {
  it('replaces what SES forbids in tags and cuts them to 256 characters', () => {
    expect(sanitizeTagPart('enrollment 1#hello/1')).toBe('enrollment_1_hello_1');
    expect(sanitizeTagPart('ok.name@x-y_z')).toBe('ok.name@x-y_z');
    expect(sanitizeTagPart('a'.repeat(300))).toHaveLength(256);
  });
});

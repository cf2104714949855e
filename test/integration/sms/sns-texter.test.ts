import { createServer, type Server } from 'node:http';
import { CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { ListTopicsCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { freePort } from '../../../infra/local/free-port.js';
import { type SnsLocal, startSnsLocal } from '../../../infra/local/sns-local.js';
import { SnsTexter, toTexterError } from '../../../lib/adapters/sns/sns-texter.js';
import {
  TexterOptedOutError,
  TexterRejectedError,
  TexterThrottledError,
} from '../../../lib/domain/errors.js';
import type { OutgoingSms } from '../../../lib/ports/texter.js';

let sns: SnsLocal;
let texter: SnsTexter;
let nextNumber = 5_550_100;

/** A number no other test in this file uses, so each test reads only its own messages. */
const aNumber = (): string => {
  nextNumber += 1;
  return `+1425${nextNumber}`;
};

const anSms = (overrides: Partial<OutgoingSms> = {}): OutgoingSms => ({
  to: aNumber(),
  body: 'Bookshop: your copy of Kafka on the Shore is ready. €12,50 — see you soon 📚',
  smsType: 'Transactional',
  ...overrides,
});

beforeAll(async () => {
  sns = await startSnsLocal({ port: await freePort(), quiet: true });
  texter = new SnsTexter({ region: localRegion, endpoint: sns.endpoint, credentials: localCredentials });
});

afterAll(async () => {
  await sns.stop();
});

describe('the SNS texter against the local SNS endpoint', () => {
  describe('when it sends an SMS', () => {
    it('publishes the body to the number with the SMS type, and returns the message id', async () => {
      const sms = anSms();

      const { providerMessageId } = await texter.send(sms);

      expect(sns.messages().filter((sent) => sent.phoneNumber === sms.to)).toEqual([
        {
          messageId: providerMessageId,
          phoneNumber: sms.to,
          message: sms.body,
          attributes: { 'AWS.SNS.SMS.SMSType': 'Transactional' },
          droppedBecauseOptedOut: false,
          at: expect.any(String),
        },
      ]);
    });

    it('passes the sender ID and origination number as SNS message attributes', async () => {
      const sms = anSms({ smsType: 'Promotional', senderId: 'Bookshop', originationNumber: '+12125550101' });

      await texter.send(sms);

      const [sent] = sns.messages().filter((message) => message.phoneNumber === sms.to);
      expect(sent?.attributes).toEqual({
        'AWS.SNS.SMS.SMSType': 'Promotional',
        'AWS.SNS.SMS.SenderID': 'Bookshop',
        'AWS.MM.SMS.OriginationNumber': '+12125550101',
      });
    });

    it('lists what was sent as JSON at GET /sms', async () => {
      const sms = anSms();
      const { providerMessageId } = await texter.send(sms);

      const response = await fetch(`${sns.endpoint}/sms`);
      const listed: unknown = await response.json();

      expect(response.headers.get('content-type')).toBe('application/json');
      expect(listed).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ messageId: providerMessageId, phoneNumber: sms.to, message: sms.body }),
        ]),
      );
    });
  });

  describe('when the spend is not watched (the local endpoint charges nothing)', () => {
    it('never holds texts back for the spend limit', async () => {
      expect(await texter.spendLimitReached()).toBe(false);
    });
  });

  describe('when a number opted out', () => {
    it('reports it opted out, and another number not', async () => {
      const stopped = aNumber();
      sns.optOut(stopped);

      expect(await texter.isOptedOut(stopped)).toBe(true);
      expect(await texter.isOptedOut(aNumber())).toBe(false);
    });

    it('records a publish to it as dropped, as SNS drops it', async () => {
      const stopped = aNumber();
      sns.optOut(stopped);

      await texter.send(anSms({ to: stopped }));

      expect(sns.messages().find((sent) => sent.phoneNumber === stopped)).toMatchObject({
        droppedBecauseOptedOut: true,
      });
    });
  });

  describe('when SNS refuses the request', () => {
    it('reports a number that is not E.164 as a rejection naming the parameter', async () => {
      const send = texter.send(anSms({ to: '0425 555 0100' }));

      await expect(send).rejects.toBeInstanceOf(TexterRejectedError);
      await expect(send).rejects.toThrow('InvalidParameterException: Invalid parameter: PhoneNumber');
    });

    it('reports an invalid sender ID as a rejection', async () => {
      await expect(texter.send(anSms({ senderId: 'Not a sender id' }))).rejects.toBeInstanceOf(
        TexterRejectedError,
      );
    });

    it('rejects an opt-out check for something that is not a phone number', async () => {
      await expect(texter.isOptedOut('not-a-number')).rejects.toBeInstanceOf(TexterRejectedError);
    });

    it('answers an action it does not serve with an error the SDK names', async () => {
      const client = new SNSClient({
        region: localRegion,
        endpoint: sns.endpoint,
        credentials: localCredentials,
      });

      const listing = client.send(new ListTopicsCommand({}));

      await expect(listing).rejects.toBeInstanceOf(SNSServiceException);
      await expect(listing).rejects.toMatchObject({
        name: 'InvalidAction',
        message: 'The action ListTopics is not valid for this endpoint.',
        $metadata: { httpStatusCode: 400 },
      });
      client.destroy();
    });
  });
});

/**
 * Throttling and server faults cannot be provoked from the local endpoint, so they
 * come from a server that answers with SNS's Query-protocol errors, through the real
 * SDK and its retries.
 */
describe('when SNS answers with an error the local endpoint never gives', () => {
  let server: Server;
  let endpoint: string;
  let answer: { status: number; code: string };
  let requests = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests += 1;
      request.resume();
      request.on('end', () => {
        response.writeHead(answer.status, { 'content-type': 'text/xml' });
        response.end(
          `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${answer.code}</Code><Message>${answer.code} from the test server</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
        );
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

  const sendWith = (status: number, code: string): Promise<unknown> => {
    answer = { status, code };
    requests = 0;
    return new SnsTexter({ region: localRegion, endpoint, credentials: localCredentials }).send(anSms());
  };

  it.each([
    [400, 'InvalidParameter'],
    [400, 'ParameterValueInvalid'],
  ])('reports a %i %s as a rejection that keeps the reason, without retrying', async (status, code) => {
    const send = sendWith(status, code);

    await expect(send).rejects.toBeInstanceOf(TexterRejectedError);
    await expect(send).rejects.toThrow(`${code} from the test server`);
    expect(requests).toBe(1);
  });

  it('reports an OptedOut answer as the number opted out, without retrying', async () => {
    const send = sendWith(400, 'OptedOut');

    await expect(send).rejects.toBeInstanceOf(TexterOptedOutError);
    expect(requests).toBe(1);
  });

  it('retries a publish over the account’s API rate (ThrottlingException, "Rate exceeded") before reporting it', async () => {
    await expect(sendWith(400, 'Throttling')).rejects.toBeInstanceOf(TexterThrottledError);
    expect(requests).toBe(5);
  }, 60_000);

  it('reports an internal error the SDK could not retry away as throttling', async () => {
    await expect(sendWith(500, 'InternalError')).rejects.toBeInstanceOf(TexterThrottledError);
    expect(requests).toBe(5);
  });

  it('retries throttling inside the SDK before reporting it', async () => {
    await expect(sendWith(429, 'Throttled')).rejects.toBeInstanceOf(TexterThrottledError);
    expect(requests).toBe(5);
    // The SDK backs off several seconds between throttled attempts.
  }, 60_000);

  it('passes on a missing permission as it is, without calling it a rejection', async () => {
    const send = sendWith(403, 'AuthorizationError');

    await expect(send).rejects.toBeInstanceOf(SNSServiceException);
    await expect(send).rejects.not.toBeInstanceOf(TexterRejectedError);
    await expect(send).rejects.not.toBeInstanceOf(TexterThrottledError);
  });
});

describe('classifying SNS errors', () => {
  const snsError = (name: string, httpStatusCode: number) =>
    new SNSServiceException({
      name,
      $fault: 'client',
      $metadata: { httpStatusCode },
      message: `${name} said no`,
    });

  it.each([
    ['ThrottledException', 429],
    ['ThrottlingException', 400],
    ['Throttling', 400],
    ['KMSThrottlingException', 400],
    ['InternalErrorException', 500],
  ])('treats %s as a reason to retry later', (name, status) => {
    const mapped = toTexterError(snsError(name, status));

    expect(mapped).toBeInstanceOf(TexterThrottledError);
    expect(mapped).toHaveProperty('message', expect.stringContaining(`${name} said no`));
  });

  it.each([['InvalidParameterException'], ['InvalidParameterValueException'], ['ValidationException']])(
    'treats %s as a refusal of this message',
    (name) => {
      expect(toTexterError(snsError(name, 400))).toBeInstanceOf(TexterRejectedError);
    },
  );

  it.each([['OptedOutException'], ['OptedOut']])('treats %s as the number having opted out', (name) => {
    expect(toTexterError(snsError(name, 400))).toBeInstanceOf(TexterOptedOutError);
  });

  it('treats CloudWatch throttling on the spend read as a reason to retry later', () => {
    const throttled = new CloudWatchServiceException({
      name: 'Throttling',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message: 'Rate exceeded',
    });

    expect(toTexterError(throttled)).toBeInstanceOf(TexterThrottledError);
  });

  it('leaves errors that are not from SNS alone', () => {
    const network = new Error('socket hang up');

    expect(toTexterError(network)).toBe(network);
  });
});

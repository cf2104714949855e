import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { streamHandler } from '../../../functions/middleware/stream-chain.js';
import { type LocalFunction, lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { localFunctionInvoker } from '../../../infra/local/local-function-invoker.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { decodeMessageRef } from '../../../lib/adapters/dynamodb/stream-records.js';
import {
  listDeadLetters,
  type RedriveDeps,
  recordDeadLetter,
  redriveDeadLetters,
  showDeadLetter,
} from '../../../lib/app/dead-letters.js';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { keptRecordLimitBytes } from '../../../lib/domain/dead-letter.js';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import { describeError } from '../../../lib/domain/error-text.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../lib/domain/errors.js';
import { isRecord } from '../../../lib/domain/is-record.js';
import type { Message } from '../../../lib/domain/message.js';
import { aMessage, aSubscribedContact } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { aDeliveryWorld, type DeliveryWorld } from './support/worlds.js';

/**
 * Dead letters on one memory deployment: the deliver function is the real
 * stream chain around the real use case, and a redrive reaches it through the
 * local runtime's invoke path, as `npm start` wires it.
 */

const StreamEvent = z.custom<DynamoDBStreamEvent>(
  (value) => isRecord(value) && Array.isArray(value.Records),
  'is no stream event',
);

/** The record the table's stream hands deliver for a message's INSERT. */
const insertOf = (message: Message, place: number): DynamoDBRecord => ({
  eventID: `e${place}`,
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: {
    Keys: {
      PK: { S: keys.message(message.contactId, message.key).PK },
      SK: { S: keys.message(message.contactId, message.key).SK },
    },
    SequenceNumber: String(place).padStart(21, '0'),
  },
});

const retired: EmailTemplate = {
  id: 'retired-mail',
  kind: 'transactional',
  subject: 'Your receipt is back',
  text: 'Here is the receipt we owed you.',
  mjml: '<mj-text>Here is the receipt we owed you.</mj-text>',
};

let delivery: DeliveryWorld;
let deps: RedriveDeps;
/** The functions a redrive can reach, by topology name; tests add their own. */
let functions: Map<string, LocalFunction>;

const deadLetterDeps = () => ({
  deadLetters: delivery.world.deadLetters,
  clock: delivery.clock,
  ids: delivery.world.ids,
});

/** deliver as the stream mapping and a redrive invoke it: its chain keeps what can never succeed. */
const deliverFunction = (): LocalFunction => {
  const chain = streamHandler(
    async (record) => {
      await deliverMessage(delivery.deps, decodeMessageRef(record));
    },
    {
      deadLetter: async (record, error) => {
        await recordDeadLetter(deadLetterDeps(), {
          functionName: 'deliver',
          redriveAs: 'stream-record',
          record,
          reason: describeError(error),
        });
      },
    },
  );
  return {
    functionName: 'deliver',
    memoryMb: 1024,
    timeoutSeconds: 450,
    handler: (event, context) => chain(StreamEvent.parse(event), context),
  };
};

const deliverBatch = (records: DynamoDBRecord[]) =>
  functions
    .get('deliver')
    ?.handler(
      { Records: records },
      lambdaContext({ functionName: 'deliver', memoryMb: 1024, timeoutSeconds: 450 }, 'us-east-1'),
    );

beforeEach(async () => {
  delivery = await aDeliveryWorld();
  functions = new Map([['deliver', deliverFunction()]]);
  deps = {
    ...deadLetterDeps(),
    functions: localFunctionInvoker((name) => functions.get(name), 'us-east-1'),
    settings: { redriveBudgetMs: 20_000 },
  };
});

describe('when a message names a template that was never published', () => {
  const owed = aSubscribedContact({ email: 'owed@example.com' });
  const behind = aSubscribedContact({ email: 'behind@example.com' });
  const receipt = aMessage(owed.id, { key: 'receipt#1', templateId: retired.id });
  const news = aMessage(behind.id, { key: 'news#1', kind: 'marketing', templateId: 'news' });

  beforeEach(async () => {
    await delivery.add(owed, [receipt]);
    await delivery.add(behind, [news]);
    await deliverBatch([insertOf(receipt, 1), insertOf(news, 2)]);
  });

  const receipts = () => delivery.world.mailer.sentTo(owed.email).length;
  const onlyLetter = async () => {
    const { deadLetters } = await listDeadLetters(deps, {});
    expect(deadLetters).toHaveLength(1);
    return deadLetters[0]?.id ?? '';
  };

  it('is dead-lettered with its reason, queued again, while the message behind it is sent', async () => {
    const { deadLetters } = await listDeadLetters(deps, {});

    expect(deadLetters).toEqual([
      expect.objectContaining({
        functionName: 'deliver',
        redriveAs: 'stream-record',
        subject: `C#${owed.id} MSG#receipt#1`,
        reason: expect.stringMatching(
          /^TemplateMissingError: message receipt#1 names template "retired-mail"/,
        ),
        redrives: 0,
      }),
    ]);
    expect((await delivery.outbox.get(owed.id, receipt.key))?.status).toBe('queued');
    expect(delivery.world.mailer.sentTo(behind.email)).toHaveLength(1);
  });

  it('keeps its dead letter while the template is still missing, counting the failed redrive', async () => {
    const id = await onlyLetter();

    const answer = await redriveDeadLetters(deps, { id });

    expect(answer).toEqual({
      results: [
        {
          id,
          functionName: 'deliver',
          outcome: 'failed',
          error: expect.stringMatching(/^TemplateMissingError: /),
        },
      ],
      next: null,
    });
    expect(await showDeadLetter(deps, id)).toMatchObject({
      redrives: 1,
      lastRedrive: {
        at: delivery.clock.now().toISOString(),
        error: expect.stringMatching(/^TemplateMissingError/),
      },
    });
    expect((await listDeadLetters(deps, {})).deadLetters).toHaveLength(1);
    expect(receipts()).toBe(0);
  });

  it('is sent once its template is published and it is redriven, and its dead letter is gone', async () => {
    const id = await onlyLetter();
    await publishCompiled(delivery.world.templates, retired, delivery.clock.now());

    const answer = await redriveDeadLetters(deps, { id });

    expect(answer).toEqual({ results: [{ id, functionName: 'deliver', outcome: 'redriven' }], next: null });
    expect(receipts()).toBe(1);
    await expect(showDeadLetter(deps, id)).rejects.toThrow(NotFoundError);
    await expect(redriveDeadLetters(deps, { id })).rejects.toThrow(NotFoundError);
  });

  it('is sent only once when its record, already processed, is redriven again', async () => {
    const letter = await showDeadLetter(deps, await onlyLetter());
    await publishCompiled(delivery.world.templates, retired, delivery.clock.now());
    await redriveDeadLetters(deps, { id: letter.id });
    // As after a redrive that died between the function's success and the dead letter's removal.
    await delivery.world.deadLetters.put(letter);

    const answer = await redriveDeadLetters(deps, { id: letter.id });

    expect(answer.results).toEqual([{ id: letter.id, functionName: 'deliver', outcome: 'redriven' }]);
    expect(receipts()).toBe(1);
  });
});

describe('listing dead letters', () => {
  const record = (n: number) => ({ dynamodb: { Keys: { PK: { S: `C#${n}` }, SK: { S: 'MSG#m' } } } });

  beforeEach(async () => {
    for (const n of [1, 2, 3])
      await recordDeadLetter(deadLetterDeps(), {
        functionName: 'deliver',
        redriveAs: 'stream-record',
        record: record(n),
        reason: `TemplateMissingError: ${n}`,
      });
  });

  it('shows them oldest first, without their records, a page at a time', async () => {
    const first = await listDeadLetters(deps, { limit: '2' });
    const rest = await listDeadLetters(deps, { limit: '2', after: first.next ?? '' });

    expect([...first.deadLetters, ...rest.deadLetters].map((letter) => letter.subject)).toEqual([
      'C#1 MSG#m',
      'C#2 MSG#m',
      'C#3 MSG#m',
    ]);
    expect(first.deadLetters[0]).not.toHaveProperty('record');
    expect(rest.next).toBeNull();
  });

  it('refuses a query it cannot read, naming the field', async () => {
    await expect(listDeadLetters(deps, { limit: '0' })).rejects.toMatchObject({
      fields: { limit: expect.any(String) },
    });
    await expect(listDeadLetters(deps, { after: 'yesterday' })).rejects.toMatchObject({
      fields: { after: 'is not a dead letter id' },
    });
  });

  it('refuses to show one by something that is no dead letter id, and answers 404 for one it does not hold', async () => {
    await expect(showDeadLetter(deps, '../etc')).rejects.toEqual(
      new ValidationError({ id: 'is not a dead letter id (a ULID)' }),
    );
    await expect(showDeadLetter(deps, '01JD0000000000000000000000')).rejects.toThrow(NotFoundError);
  });
});

describe('a record too large to keep', () => {
  let id: string;

  beforeEach(async () => {
    const letter = await recordDeadLetter(deadLetterDeps(), {
      functionName: 'deliver',
      redriveAs: 'stream-record',
      record: {
        dynamodb: { Keys: { PK: { S: 'C#big' }, SK: { S: 'MSG#big' } } },
        notes: 'x'.repeat(keptRecordLimitBytes),
      },
      reason: 'TemplateMissingError: gone',
    });
    id = letter.id;
  });

  it('is kept as a dead letter that says why its record is not there', async () => {
    const letter = await showDeadLetter(deps, id);

    expect(letter.record).toBeUndefined();
    expect(letter.recordMissing).toMatch(
      /^the record is \d+ KB as JSON, more than the 350 KB a dead letter keeps \(C#big MSG#big\)$/,
    );
  });

  it('cannot be redriven, and says so', async () => {
    await expect(redriveDeadLetters(deps, { id })).rejects.toThrow(ConflictError);
    expect((await redriveDeadLetters(deps, { all: true })).results).toEqual([
      {
        id,
        functionName: 'deliver',
        outcome: 'not-redrivable',
        error: expect.stringMatching(/^the record is/),
      },
    ]);
  });
});

describe('a redrive request', () => {
  it.each([
    [{}, 'id'],
    [{ id: '01JD0000000000000000000000', all: true }, 'id'],
    [{ all: true, after: 'yesterday' }, 'after'],
    [{ after: '01JD0000000000000000000000' }, 'after'],
    [{ all: false }, 'all'],
  ])('is refused when it is %j, naming %s', async (body, field) => {
    await expect(redriveDeadLetters(deps, body)).rejects.toMatchObject({
      fields: { [field]: expect.any(String) },
    });
  });
});

describe('redriving all of them', () => {
  const handedBack: string[] = [];

  beforeEach(async () => {
    handedBack.length = 0;
    // A function that takes 15 s of the clock for each event it is handed.
    functions.set('ingest-bus', {
      functionName: 'ingest-bus',
      memoryMb: 512,
      timeoutSeconds: 15,
      handler: async (event) => {
        delivery.clock.advance(15_000);
        handedBack.push(isRecord(event) && typeof event.id === 'string' ? event.id : '?');
      },
    });
    for (const id of ['first', 'second', 'third'])
      await recordDeadLetter(deadLetterDeps(), {
        functionName: 'ingest-bus',
        redriveAs: 'event',
        record: { id, 'detail-type': 'Order Completed' },
        reason: 'DynamoDB throttled (gave up after 3 attempts)',
      });
  });

  it('hands them back oldest first, each as the function received it, until the time budget is spent', async () => {
    const first = await redriveDeadLetters(deps, { all: true });

    expect(handedBack).toEqual(['first', 'second']);
    expect(first.results.map((result) => result.outcome)).toEqual(['redriven', 'redriven']);
    expect(first.next).toBe(first.results[1]?.id);

    const rest = await redriveDeadLetters(deps, { all: true, after: first.next ?? '' });

    expect(handedBack).toEqual(['first', 'second', 'third']);
    expect(rest.next).toBeNull();
    expect((await listDeadLetters(deps, {})).deadLetters).toEqual([]);
  });
});

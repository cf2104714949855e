import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DynamoDeadLetterStore } from '../../lib/adapters/dynamodb/dynamo-dead-letter-store.js';
import { enrollmentItem, eventItem, messageItem } from '../../lib/adapters/dynamodb/items.js';
import { keys } from '../../lib/adapters/dynamodb/keys.js';
import { runCli } from '../../lib/cli/main.js';
import type { ContactEvent } from '../../lib/domain/contact-event.js';
import { DeadLetter, DeadLetterList, RedriveAnswer } from '../../lib/domain/dead-letter.js';
import { aMessage, anEnrollment, newId } from '../support/builders.js';
import { signUpAndConfirm } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * Items no handler can ever get through, written straight into the table among
 * good records of other contacts: each is dead-lettered at once with its reason,
 * the records around it are handled, and once its cause is fixed it is redriven
 * and handled once.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  table = connectToTable(env.stack);
});

afterAll(async () => {
  table?.client.destroy();
  await env?.stack.stop();
});

const admin = async (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${adminToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = JSON.parse(await response.text());
  return { status: response.status, json };
};

const put = (item: Record<string, unknown>) =>
  table.documentClient.send(new PutCommand({ TableName: env.stack.tableName, Item: item }));

const contactIdOf = async (email: string): Promise<string> => {
  const { body } = await env.http.contact(email);
  if (body === undefined) throw new Error(`no contact ${email}`);
  return body.contact.id;
};

const deadLetters = async () =>
  DeadLetterList.parse((await admin('GET', '/admin/dead-letters?limit=200')).json);

const PollerStatus = z.object({
  pollers: z.array(z.object({ functionName: z.string(), failedInvocations: z.number() })),
});

const retiredTemplate = {
  id: 'retired-mail',
  kind: 'transactional',
  subject: 'Your receipt is back',
  text: 'Here is the receipt we owed you.',
  mjml: '<mj-text>Here is the receipt we owed you.</mj-text>',
};

/** The three poison records' keys, and the contact each is about. */
const poison = {
  undecodable: { contactId: '', sortKey: '' },
  missingTemplate: { contactId: '', sortKey: '', email: 'receipt-owed@example.com' },
  missingVersion: { contactId: '', sortKey: '' },
};

const byError = (a: { error?: string | undefined }, b: { error?: string | undefined }) =>
  (a.error ?? '').localeCompare(b.error ?? '');

const letterAbout = (list: DeadLetterList, contactId: string, sortKey: string) =>
  list.deadLetters.find((letter) => letter.subject === `${keys.contact(contactId).PK} ${sortKey}`);

describe('when poison records reach the stream among good ones', () => {
  beforeAll(async () => {
    await signUpAndConfirm(env, poison.missingTemplate.email, ['newsletter']);
    await signUpAndConfirm(env, 'on-a-lost-version@example.com', ['newsletter']);
    poison.missingTemplate.contactId = await contactIdOf(poison.missingTemplate.email);
    poison.missingVersion.contactId = await contactIdOf('on-a-lost-version@example.com');
    poison.undecodable.contactId = poison.missingTemplate.contactId;

    // An event whose data an older writer stored as text: no contact event can be read from it.
    const undecodableId = newId();
    poison.undecodable.sortKey = keys.event(poison.undecodable.contactId, undecodableId).SK;
    await put({
      ...keys.event(poison.undecodable.contactId, undecodableId),
      type: 'event',
      eventType: 'track',
      id: undecodableId,
      contactId: poison.undecodable.contactId,
      at: '2026-11-23T12:00:00.000Z',
      data: '{"name": "poked"',
    });
    // A message whose template was deleted (or never published).
    const message = aMessage(poison.missingTemplate.contactId, {
      key: `receipt#${newId()}`,
      templateId: retiredTemplate.id,
      createdAt: new Date().toISOString(),
    });
    poison.missingTemplate.sortKey = keys.message(message.contactId, message.key).SK;
    await put(messageItem(message));
    // An enrollment on a version of welcome that is not in the table, and an event that reaches it.
    await put(
      enrollmentItem(
        anEnrollment(poison.missingVersion.contactId, { journeyId: 'welcome', journeyVersion: 99 }),
      ),
    );
    const poke: ContactEvent = {
      id: newId(),
      contactId: poison.missingVersion.contactId,
      type: 'track',
      at: new Date().toISOString(),
      data: { name: 'poked' },
    };
    poison.missingVersion.sortKey = keys.event(poke.contactId, poke.id).SK;
    await put(eventItem(poke));

    // Good records of other contacts, right behind them.
    await env.http.postJson('/v1/signup', { email: 'right-behind@example.com', consent: true, topics: [] });
    await env.http.postJson('/v1/signup', { email: 'also-behind@example.com', consent: true, topics: [] });
    await env.stack.idle();
  });

  it('dead-letters each of them with its reason', async () => {
    const list = await deadLetters();

    expect(letterAbout(list, poison.undecodable.contactId, poison.undecodable.sortKey)).toMatchObject({
      functionName: 'journeys',
      redriveAs: 'stream-record',
      reason: expect.stringMatching(/^UndecodableRecordError: .*no contact event/),
      redrives: 0,
    });
    expect(letterAbout(list, poison.missingTemplate.contactId, poison.missingTemplate.sortKey)).toMatchObject(
      {
        functionName: 'deliver',
        reason: expect.stringMatching(
          /^TemplateMissingError: .*"retired-mail", which has no published version/,
        ),
        redrives: 0,
      },
    );
    expect(letterAbout(list, poison.missingVersion.contactId, poison.missingVersion.sortKey)).toMatchObject({
      functionName: 'journeys',
      reason: expect.stringMatching(/^JourneyVersionMissingError: .*journey welcome version 99/),
      redrives: 0,
    });
  });

  it('lists them at GET /local/dead-letters too, each with a reason', async () => {
    const local = z
      .array(z.object({ functionName: z.string(), reason: z.string().min(1) }).loose())
      .parse(JSON.parse((await env.http.get('/local/dead-letters')).text));

    expect(local.map((letter) => letter.functionName).sort()).toEqual(['deliver', 'journeys', 'journeys']);
  });

  it('handles the good records behind them, spending no retry on the poison ones', async () => {
    expect(await env.mail.to('right-behind@example.com')).toHaveLength(1);
    expect(await env.mail.to('also-behind@example.com')).toHaveLength(1);
    const { pollers } = PollerStatus.parse(JSON.parse((await env.http.get('/local/status')).text));
    expect(
      pollers.map(({ functionName, failedInvocations }) => ({ functionName, failedInvocations })),
    ).toEqual(pollers.map(({ functionName }) => ({ functionName, failedInvocations: 0 })));
  });

  it('shows one with its record, as the function received it', async () => {
    const list = await deadLetters();
    const letter = letterAbout(list, poison.missingTemplate.contactId, poison.missingTemplate.sortKey);

    const shown = DeadLetter.parse((await admin('GET', `/admin/dead-letters/${letter?.id}`)).json);

    expect(shown.record).toMatchObject({
      eventName: 'INSERT',
      dynamodb: { Keys: { SK: { S: poison.missingTemplate.sortKey } } },
    });
  });

  it('lists them through the CLI', async () => {
    const printed: string[] = [];
    const code = await runCli(['dead-letters', 'list'], {
      print: (text) => printed.push(text.toString()),
      env: { RAPPORT_API_URL: env.stack.apiUrl, RAPPORT_ADMIN_TOKEN: adminToken },
    });

    expect(code).toBe(0);
    expect(printed.join('\n')).toContain('TemplateMissingError');
  });

  describe('and the missing template is published', () => {
    let original: DeadLetter;

    beforeAll(async () => {
      const listed = letterAbout(
        await deadLetters(),
        poison.missingTemplate.contactId,
        poison.missingTemplate.sortKey,
      );
      original = DeadLetter.parse((await admin('GET', `/admin/dead-letters/${listed?.id}`)).json);
      expect(
        (await admin('PUT', `/admin/templates/${retiredTemplate.id}/draft`, retiredTemplate)).status,
      ).toBe(200);
      expect((await admin('POST', `/admin/templates/${retiredTemplate.id}/publish`)).status).toBe(200);
    });

    const receipts = async () =>
      (await env.mail.to(poison.missingTemplate.email)).filter(
        (mail) => mail.subject === retiredTemplate.subject,
      );

    const redrive = async (body: unknown) => {
      const response = await admin('POST', '/admin/dead-letters/redrive', body);
      await env.stack.idle();
      return response;
    };

    it('sends the message once its dead letter is redriven, and the dead letter is gone', async () => {
      const { status, json } = await redrive({ id: original.id });

      expect(status).toBe(200);
      expect(RedriveAnswer.parse(json)).toEqual({
        results: [{ id: original.id, functionName: 'deliver', outcome: 'redriven' }],
        next: null,
      });
      expect(await receipts()).toHaveLength(1);
      expect((await admin('GET', `/admin/dead-letters/${original.id}`)).status).toBe(404);
    });

    it('answers a second redrive of it that there is nothing left to redrive, and sends nothing', async () => {
      expect((await redrive({ id: original.id })).status).toBe(404);
      expect(await receipts()).toHaveLength(1);
    });

    it('does not send it twice when a record already processed is redriven again', async () => {
      // As after a redrive that died between the function's success and removing its dead letter.
      const copy: DeadLetter = { ...original, id: newId() };
      await new DynamoDeadLetterStore(table.documentClient, env.stack.tableName).put(copy);

      const { json } = await redrive({ id: copy.id });

      expect(RedriveAnswer.parse(json).results).toEqual([
        { id: copy.id, functionName: 'deliver', outcome: 'redriven' },
      ]);
      expect(await receipts()).toHaveLength(1);
    });

    it('keeps the others, whose causes are not fixed, counting the failed redrive and writing no new one', async () => {
      const { json } = await redrive({ all: true });

      const answer = RedriveAnswer.parse(json);
      expect(answer.next).toBeNull();
      expect(
        answer.results
          .map(({ functionName, outcome, error }) => ({ functionName, outcome, error }))
          .sort(byError),
      ).toEqual([
        {
          functionName: 'journeys',
          outcome: 'failed',
          error: expect.stringMatching(/^JourneyVersionMissingError: /),
        },
        {
          functionName: 'journeys',
          outcome: 'failed',
          error: expect.stringMatching(/^UndecodableRecordError: /),
        },
      ]);
      const left = (await deadLetters()).deadLetters;
      expect(
        left.map(({ redrives, lastRedrive }) => ({ redrives, error: lastRedrive?.error })).sort(byError),
      ).toEqual([
        { redrives: 1, error: expect.stringMatching(/^JourneyVersionMissingError: /) },
        { redrives: 1, error: expect.stringMatching(/^UndecodableRecordError: /) },
      ]);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DynamoJourneyStore } from '../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { queryAll } from '../../lib/adapters/dynamodb/query-all.js';
import { JourneyDefinition } from '../../lib/domain/journey-definition.js';
import { Message } from '../../lib/domain/message.js';
import { confirmByEmail } from './support/signup.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * SMS on the local stack, as a customer lives it: sign up with a phone and SMS
 * consent, confirm by email, get a text from a journey, reply STOP, get no more.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;

const email = 'texter@example.com';
const phone = '+14255550182';
const ourNumber = '+12125550101';

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  table = connectToTable(env.stack);
  const journeys = new DynamoJourneyStore(table.documentClient, env.stack.tableName);
  // Only contacts who pick "recommendations" enter, so the shipped journeys stay out of the way.
  await journeys.publish(
    JourneyDefinition.parse({
      id: 'e2e-sms',
      name: 'Two texts, a moment apart',
      trigger: { event: 'signup_confirmed', condition: { 'event.data.topics': 'recommendations' } },
      start: 'first-text',
      nodes: [
        {
          id: 'first-text',
          type: 'send_sms',
          body: 'Hi {{ contact.name | default: "there" }}, thanks for joining Bookshop texts.',
          next: 'pause',
        },
        { id: 'pause', type: 'wait', duration: 'PT2S', next: 'second-text' },
        { id: 'second-text', type: 'send_sms', body: 'New books are in this week.' },
      ],
    }),
    new Date(),
  );
});
afterAll(async () => {
  table?.client.destroy();
  await env?.stack.stop();
});

const RecordedSms = z.array(
  z.object({ phoneNumber: z.string(), message: z.string(), attributes: z.record(z.string(), z.string()) }),
);
const textsTo = async (number: string) =>
  RecordedSms.parse(JSON.parse((await env.http.get('/local/sms')).text)).filter(
    (sms) => sms.phoneNumber === number,
  );

const SmsConsentView = z.object({
  contact: z.object({ id: z.string(), consent: z.object({ sms: z.object({ status: z.string() }) }) }),
  consentLog: z.array(
    z.object({ channel: z.string(), action: z.string(), source: z.object({ kind: z.string() }) }),
  ),
});
const contactView = async () => {
  const response = await env.http.get(`/admin/contacts?email=${encodeURIComponent(email)}`, {
    authorization: `Bearer ${adminToken}`,
  });
  return SmsConsentView.parse(JSON.parse(response.text));
};

const smsMessages = async (contactId: string) =>
  (
    await queryAll(table.documentClient, {
      TableName: env.stack.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': `C#${contactId}`, ':prefix': 'MSG#' },
    })
  )
    .map((item) => Message.parse(item))
    .filter((message) => message.channel === 'sms');

describe('texting a contact who agreed to SMS', () => {
  it('asks for SMS consent at signup and confirms it with the email', async () => {
    const signup = await env.http.postJson('/v1/signup', {
      email,
      name: 'Tess',
      phone,
      consent: true,
      sms_consent: true,
      topics: ['recommendations'],
    });
    expect(signup.status).toBe(202);
    await env.stack.idle();
    expect((await contactView()).contact.consent.sms.status).toBe('pending');

    await confirmByEmail(env, email);

    const view = await contactView();
    expect(view.contact.consent.sms.status).toBe('subscribed');
    expect(view.consentLog.filter((entry) => entry.channel === 'sms').map((entry) => entry.action)).toEqual([
      'requested',
      'confirmed',
    ]);
  });

  it('sends the journey’s first text, readable at GET /local/sms', async () => {
    const texts = await textsTo(phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]?.message).toContain('Hi Tess, thanks for joining Bookshop texts.');
    expect(texts[0]?.message).toContain('Reply STOP to opt out');
    expect(texts[0]?.attributes['AWS.SNS.SMS.SMSType']).toBe('Promotional');
  });

  it('unsubscribes the number when it replies STOP, and skips the next text', async () => {
    const reply = await env.http.postJson('/local/topics/inbound-sms', {
      originationNumber: phone,
      destinationNumber: ourNumber,
      messageBody: 'STOP',
      inboundMessageId: 'e2e-stop-1',
    });
    expect(reply.status).toBe(202);
    await env.stack.idle();

    const view = await contactView();
    expect(view.contact.consent.sms.status).toBe('unsubscribed');
    expect(view.consentLog.at(-1)).toMatchObject({
      channel: 'sms',
      action: 'unsubscribed',
      source: { kind: 'sms-reply' },
    });

    await new Promise((resolve) => setTimeout(resolve, 2_500));
    await env.stack.tick();
    await env.stack.idle();

    expect(await textsTo(phone)).toHaveLength(1);
    const second = (await smsMessages(view.contact.id)).find((message) => message.nodeId === 'second-text');
    expect(second).toMatchObject({ status: 'skipped', skipReason: 'suppressed' });
  });
});

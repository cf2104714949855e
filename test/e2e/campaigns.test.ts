import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoCampaignAudienceStore } from '../../lib/adapters/dynamodb/dynamo-campaign-store.js';
import { DynamoContactStore } from '../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoOutbox } from '../../lib/adapters/dynamodb/dynamo-outbox.js';
import { DynamoSegmentStore } from '../../lib/adapters/dynamodb/dynamo-segment-store.js';
import { DynamoTemplateStore } from '../../lib/adapters/dynamodb/dynamo-template-store.js';
import { campaignMessageKey } from '../../lib/domain/campaign.js';
import type { Contact } from '../../lib/domain/contact.js';
import type { Clock } from '../../lib/ports/clock.js';
import { aContact, aSignup } from '../integration/support/builders.js';
import { publishCompiled } from '../support/publish-compiled.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * A marketer sends a campaign with two subjects and a 10% holdout to a saved
 * segment over the admin API; the journey-jobs schedule freezes the audience
 * and writes each message at its paced slot, on a virtual clock that its waits
 * move on. Treatment gets one email each, control none, and someone who
 * unsubscribed after the launch nothing.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let now = new Date('2026-12-01T09:00:00.000Z');
const clock: Clock = {
  now: () => new Date(now),
  sleep: async (ms) => {
    now = new Date(now.getTime() + ms);
  },
};
const gold: Contact[] = [];

const subscribed = (tier: string): Contact => {
  const at = '2026-10-01T08:00:00.000Z';
  return aContact({
    consent: { email: { status: 'subscribed', changedAt: at }, sms: { status: 'none', changedAt: at } },
    topics: ['newsletter'],
    pendingTopics: [],
    attributes: { tier },
  });
};

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false, clock });
  table = connectToTable(env.stack);
  const { documentClient } = table;
  const { tableName } = env.stack;
  await publishCompiled(
    new DynamoTemplateStore(documentClient, tableName),
    {
      id: 'e2e-campaign',
      kind: 'marketing',
      subject: 'Base subject',
      text: 'Winter offers. Unsubscribe: {{ links.unsubscribe }} {{ postalAddress }}',
      mjml: '<mj-text>Winter offers</mj-text><mj-text><a href="{{ links.unsubscribe }}">Unsubscribe</a></mj-text>',
    },
    now,
  );
  await new DynamoSegmentStore(documentClient, tableName).put(
    { id: 'e2e-gold', name: 'Gold', condition: { 'contact.attributes.tier': 'gold' }, live: false },
    now,
  );
  const contacts = new DynamoContactStore(documentClient, tableName);
  for (let index = 0; index < 60; index += 1) gold.push(subscribed('gold'));
  for (const person of [...gold, subscribed('silver')]) await contacts.create(aSignup(person));
}, 120_000);

afterAll(async () => {
  table?.client.destroy();
  await env?.stack.stop();
});

const admin = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${env.stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Runs the schedules (tick, journey-jobs) and the streams until the campaign's jobs are done or waiting. */
const runSchedules = async (rounds = 6) => {
  for (let round = 0; round < rounds; round += 1) {
    await env.stack.tick();
    await env.stack.idle();
  }
};

const campaign = (id: string, overrides: Record<string, unknown>) => ({
  id,
  name: `Campaign ${id}`,
  audience: { segmentId: 'e2e-gold' },
  channel: { kind: 'email', templateId: 'e2e-campaign' },
  sendRate: 5,
  ...overrides,
});

/** The slots of the messages a campaign's send wrote (each message's `createdAt`), in ms. */
const slotsOf = async (campaignId: string): Promise<number[]> => {
  const outbox = new DynamoOutbox(table.documentClient, env.stack.tableName);
  const slots: number[] = [];
  for (const person of gold) {
    const message = await outbox.get(person.id, campaignMessageKey(campaignId));
    if (message !== undefined) slots.push(Date.parse(message.createdAt));
  }
  return slots.sort((a, b) => a - b);
};

describe('a campaign with two subjects and a holdout, over the admin API', () => {
  it('mails each treatment contact once with one of the subjects, control never, an unsubscriber never', async () => {
    const put = await admin(
      'PUT',
      '/admin/campaigns/e2e-sale',
      campaign('e2e-sale', {
        schedule: { kind: 'at', at: '2026-12-01T09:10:00Z' },
        holdout: 10,
        variants: [
          { id: 'a', subject: 'Subject A' },
          { id: 'b', subject: 'Subject B' },
        ],
      }),
    );
    expect(put.status).toBe(200);
    const launched = await admin('POST', '/admin/campaigns/e2e-sale/launch', { version: 1 });
    expect(launched.status).toBe(202);
    expect(launched.body.status).toBe('scheduled');
    await runSchedules();

    // Frozen: control members have a record under their contact; nobody has a message before 09:10.
    const audience = new DynamoCampaignAudienceStore(table.documentClient, env.stack.tableName);
    const records = await Promise.all(gold.map((person) => audience.get('e2e-sale', person.id)));
    const control = gold.filter((_, index) => records[index]?.group === 'control');
    const treatment = gold.filter((_, index) => records[index] === undefined);
    expect(await slotsOf('e2e-sale')).toEqual([]);
    expect(control.length).toBeGreaterThan(0);

    // Someone in the treatment group unsubscribes after the launch, before the send.
    const [leaver] = treatment;
    if (leaver === undefined) throw new Error('no treatment contact');
    const contacts = new DynamoContactStore(table.documentClient, env.stack.tableName);
    const current = await contacts.get(leaver.id);
    if (current === undefined) throw new Error('contact missing');
    await contacts.update({
      contact: {
        ...current,
        consent: { ...current.consent, email: { status: 'unsubscribed', changedAt: now.toISOString() } },
        version: current.version + 1,
      },
      expectedVersion: current.version,
      consent: [],
      events: [],
      messages: [],
    });

    now = new Date('2026-12-01T09:11:00.000Z');
    await runSchedules();

    for (const person of treatment) {
      const mail = await env.mail.to(person.email);
      if (person.id === leaver.id) expect(mail).toHaveLength(0);
      else {
        expect(mail).toHaveLength(1);
        expect(['Subject A', 'Subject B']).toContain(mail[0]?.subject);
      }
    }
    for (const person of control) expect(await env.mail.to(person.email)).toHaveLength(0);
    const both = new Set((await env.mail.all()).map((mail) => mail.subject));
    expect(both).toEqual(new Set(['Subject A', 'Subject B']));

    now = new Date('2026-12-01T09:20:00.000Z');
    await runSchedules();
    expect((await admin('GET', '/admin/campaigns/e2e-sale')).body.status).toBe('sent');
  }, 180_000);

  it('paces 59 recipients at 5 a second over 12 seconds', async () => {
    await admin(
      'PUT',
      '/admin/campaigns/e2e-pace',
      campaign('e2e-pace', { schedule: { kind: 'at', at: '2026-12-02T09:00:00Z' } }),
    );
    expect((await admin('POST', '/admin/campaigns/e2e-pace/launch')).status).toBe(202);
    await runSchedules(3);
    expect(await slotsOf('e2e-pace')).toEqual([]);
    now = new Date('2026-12-02T09:00:00.000Z');
    await runSchedules(2);

    const slots = await slotsOf('e2e-pace');
    // Everyone in the segment but the contact who unsubscribed above: a launch leaves out who cannot be mailed.
    expect(slots).toHaveLength(59);
    // Slot i at start + floor(i / 5) s, each written when it came: the last of 59 is 11 s in, the send takes 12 s.
    const spanSeconds = ((slots.at(-1) ?? 0) - (slots[0] ?? 0)) / 1000 + 1;
    expect(spanSeconds).toBeGreaterThanOrEqual(12 * 0.9);
    expect(spanSeconds).toBeLessThanOrEqual(12 * 1.1);
    const perSecond = new Map<number, number>();
    for (const slot of slots)
      perSecond.set(Math.floor(slot / 1000), (perSecond.get(Math.floor(slot / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(5);
    // And the stream handed each to deliver: all 59 are at the SES emulator.
    expect((await env.mail.all()).filter((mail) => mail.subject === 'Base subject')).toHaveLength(59);
  }, 120_000);
});

import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { ephemeralPorts, type LocalStack, startLocalStack } from '../../../infra/local/local-stack.js';
import type { FunctionSpec, TableStreamTrigger } from '../../../infra/topology.js';

/** A small topology of fixture handlers: the runtime is under test here, not the real functions. */
const access = { table: 'read-write', sendEmail: false, tokenKeys: false } as const;
const base = { description: 'fixture', memoryMb: 128, timeoutSeconds: 5, access };
const insertsWithPrefix = (prefix: string): TableStreamTrigger => ({
  kind: 'table-stream',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  filters: [{ eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [{ prefix }] } } } }],
  retryAttempts: 1,
  maxRecordAgeSeconds: 3_600,
  bisectBatchOnError: true,
  reportBatchItemFailures: true,
});
const functions: FunctionSpec[] = [
  {
    ...base,
    name: 'hello',
    entry: 'functions/http/hello.ts',
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/hello', auth: 'public' },
        { method: 'POST', path: '/hello', auth: 'admin' },
      ],
    },
  },
  { ...base, name: 'events', entry: 'functions/stream/events.ts', trigger: insertsWithPrefix('EV#') },
  { ...base, name: 'messages', entry: 'functions/stream/messages.ts', trigger: insertsWithPrefix('MSG#') },
  {
    ...base,
    name: 'feedback',
    entry: 'functions/topic/feedback.ts',
    trigger: { kind: 'topic', topic: 'ses-feedback' },
  },
  { ...base, name: 'seed', entry: 'functions/deployment/seed.ts', trigger: { kind: 'deployment' } },
  {
    ...base,
    name: 'orders',
    entry: 'functions/bus/orders.ts',
    trigger: {
      kind: 'bus-rule',
      pattern: { source: [{ 'anything-but': ['rapport.journeys'] }], 'detail-type': ['Order Completed'] },
    },
  },
];

const adminToken = 'local-stack-test-admin-token';
const entryRoot = fileURLToPath(new URL('./fixtures', import.meta.url));
let stack: LocalStack;
let client: DynamoDBClient;
let processEnvBefore: Record<string, string | undefined>;

beforeAll(async () => {
  processEnvBefore = { ...process.env };
  stack = await startLocalStack({
    ...ephemeralPorts,
    quiet: true,
    adminToken,
    env: { RAPPORT_ALLOWED_ORIGINS: 'https://shop.example.com' },
    functions,
    entryRoot,
  });
  client = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: localRegion,
    credentials: localCredentials,
  });
});

afterAll(async () => {
  client?.destroy();
  await stack?.stop();
});

const item = async (pk: string, sk: string) =>
  (
    await client.send(
      new GetItemCommand({ TableName: stack.tableName, Key: { PK: { S: pk }, SK: { S: sk } } }),
    )
  ).Item;

describe('a started local stack', () => {
  it('hands each invocation the stack’s environment', async () => {
    const response = await fetch(`${stack.apiUrl}/hello`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      tableName: 'rapport-local',
      publicBaseUrl: stack.apiUrl,
      allowed: expect.arrayContaining([new URL(stack.apiUrl).origin, 'https://shop.example.com']),
    });
    expect(stack.environment.TOKEN_KEYS).toMatch(/^\{"current":"k1","k1":"[A-Za-z0-9_-]{64}"\}$/);
  });

  it('leaves process.env alone but for Powertools’ process-wide defaults', () => {
    const added = Object.keys(process.env).filter((name) => !(name in processEnvBefore));
    const changed = Object.keys(processEnvBefore).filter(
      (name) => process.env[name] !== processEnvBefore[name],
    );

    expect(added.filter((name) => !name.startsWith('POWERTOOLS_'))).toEqual([]);
    expect(changed).toEqual([]);
  });

  it('ran the deployment function once with a create event', async () => {
    expect(await item('SEEDED', 'Create')).toMatchObject({ note: { S: 'Custom::Seed' } });
  });

  it('wired every function of the plan', () => {
    expect(stack.wiring.map((wiring) => `${wiring.functionName}:${wiring.kind}`)).toEqual([
      'hello:http-routes',
      'events:stream-poller',
      'messages:stream-poller',
      'feedback:topic-subscription',
      'seed:run-at-start',
      'orders:bus-rule',
    ]);
  });

  it('guards admin routes with the admin token', async () => {
    const refused = await fetch(`${stack.apiUrl}/hello?name=x`, { method: 'POST' });

    expect(refused.status).toBe(401);
  });

  it('carries a write through one stream function into the next before idle resolves', async () => {
    const response = await fetch(`${stack.apiUrl}/hello?name=ann`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(response.status).toBe(201);

    await stack.idle();

    const done = await client.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :done)',
        ExpressionAttributeValues: { ':pk': { S: 'C#fixture' }, ':done': { S: 'DONE#' } },
      }),
    );
    expect(done.Items?.map((found) => found.SK?.S)).toEqual(['DONE#ann']);
    expect(await stack.deadLetters()).toEqual([]);
  });

  it('publishes a posted message to the topic’s subscribers', async () => {
    const response = await fetch(`${stack.apiUrl}/local/topics/ses-feedback`, {
      method: 'POST',
      body: '{"notificationType":"Complaint"}',
    });

    expect(response.status).toBe(202);
    const { messageId } = z.object({ messageId: z.string() }).parse(await response.json());
    expect(await item('FEEDBACK', messageId)).toMatchObject({
      note: { S: '{"notificationType":"Complaint"}' },
    });
  });

  it('answers 404 for a topic that does not exist', async () => {
    const response = await fetch(`${stack.apiUrl}/local/topics/nope`, { method: 'POST', body: 'x' });

    expect(response.status).toBe(404);
  });

  it('hands what the SDK puts on its bus to the bus rule’s function, and what journeys emit to nobody', async () => {
    const eventBridge = new EventBridgeClient({
      endpoint: stack.eventBridgeUrl,
      region: localRegion,
      credentials: localCredentials,
    });
    const put = (source: string) =>
      eventBridge.send(
        new PutEventsCommand({
          Entries: [
            { EventBusName: stack.eventBusName, Source: source, DetailType: 'Order Completed', Detail: '{}' },
          ],
        }),
      );
    try {
      const fromShop = await put('com.example.orders');
      const fromJourneys = await put('rapport.journeys');
      await stack.idle();

      const shopEventId = fromShop.Entries?.[0]?.EventId ?? '';
      const journeysEventId = fromJourneys.Entries?.[0]?.EventId ?? '';
      expect(await item('BUS', shopEventId)).toMatchObject({
        note: { S: 'com.example.orders · Order Completed' },
      });
      expect(journeysEventId).not.toBe('');
      expect(await item('BUS', journeysEventId)).toBeUndefined();
    } finally {
      eventBridge.destroy();
    }
  });

  it('reports its status', async () => {
    const response = await fetch(`${stack.apiUrl}/local/status`);

    expect(await response.json()).toMatchObject({
      tableName: 'rapport-local',
      pollers: [{ functionName: 'events' }, { functionName: 'messages' }],
    });
  });
});

describe('when a second stack with other settings starts in the same process', () => {
  let second: LocalStack;
  let secondClient: DynamoDBClient;

  beforeAll(async () => {
    second = await startLocalStack({
      ...ephemeralPorts,
      quiet: true,
      adminToken,
      env: { RAPPORT_ALLOWED_ORIGINS: 'https://other-shop.example.com' },
      functions,
      entryRoot,
    });
    secondClient = new DynamoDBClient({
      endpoint: second.dynamoEndpoint,
      region: localRegion,
      credentials: localCredentials,
    });
  });

  afterAll(async () => {
    secondClient?.destroy();
    await second?.stop();
  });

  it('gives the handlers, imported once, each stack’s own environment', async () => {
    const [first, other] = await Promise.all(
      [stack, second].map(async (started) => (await fetch(`${started.apiUrl}/hello`)).json()),
    );

    expect(first).toMatchObject({
      publicBaseUrl: stack.apiUrl,
      allowed: expect.arrayContaining(['https://shop.example.com']),
    });
    expect(other).toMatchObject({
      publicBaseUrl: second.apiUrl,
      allowed: expect.arrayContaining(['https://other-shop.example.com']),
    });
    expect(other).not.toMatchObject({ allowed: expect.arrayContaining(['https://shop.example.com']) });
  });

  it('writes through each stack’s handlers into that stack’s database only', async () => {
    const response = await fetch(`${second.apiUrl}/hello?name=bo`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}` },
    });
    expect(response.status).toBe(201);
    await second.idle();

    const key = { PK: { S: 'C#fixture' }, SK: { S: 'DONE#bo' } };
    const inSecond = await secondClient.send(new GetItemCommand({ TableName: second.tableName, Key: key }));
    expect(inSecond.Item).toBeDefined();
    expect(await item('C#fixture', 'DONE#bo')).toBeUndefined();
  });

  it('hands an event to one of its functions when asked', async () => {
    await second.invoke('seed', {
      RequestType: 'Update',
      ResourceType: 'Custom::Invoked',
      ResourceProperties: {},
    });

    const seeded = await secondClient.send(
      new GetItemCommand({
        TableName: second.tableName,
        Key: { PK: { S: 'SEEDED' }, SK: { S: 'Update' } },
      }),
    );
    expect(seeded.Item).toMatchObject({ note: { S: 'Custom::Invoked' } });
    await expect(second.invoke('nope', {})).rejects.toThrow(/no function "nope"/);
  });
});

describe('stopping the stack', () => {
  it('closes the API and DynamoDB Local, and a second stop is harmless', async () => {
    await stack.stop();
    await stack.stop();

    await expect(fetch(`${stack.apiUrl}/hello`)).rejects.toThrow();
    await expect(fetch(stack.dynamoEndpoint)).rejects.toThrow();
  });
});

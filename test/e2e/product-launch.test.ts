import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/local/local-stack.js';
import { DynamoContactStore } from '../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { DynamoJourneyStore } from '../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { DynamoTemplateStore } from '../../lib/adapters/dynamodb/dynamo-template-store.js';
import { keys } from '../../lib/adapters/dynamodb/keys.js';
import { queryAll } from '../../lib/adapters/dynamodb/query-all.js';
import { runCli } from '../../lib/cli/main.js';
import { loadContent } from '../../lib/content/load-content.js';
import type { Contact } from '../../lib/domain/contact.js';
import { emptyCustomerCard } from '../../lib/domain/customer-card.js';
import { JourneyDefinition } from '../../lib/domain/journey-definition.js';
import { simulate } from '../../lib/simulation/simulate.js';
import { aContact, aSignup } from '../integration/support/builders.js';
import { publishCompiled } from '../support/publish-compiled.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * A marketer imports the catalog from a CSV file with the CLI and publishes a
 * new book: the launch's fan-out, run by the journey-jobs schedule, reaches the
 * contacts who buy books, and a journey on `product_published` mails them; the
 * contacts who buy only garden tools, or nothing yet, hear nothing.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
const people: Record<'bookworm' | 'mixed' | 'gardener' | 'newcomer', Contact> = {
  bookworm: buyer({ books: 4 }),
  mixed: buyer({ books: 1, garden: 2 }),
  gardener: buyer({ garden: 3 }),
  newcomer: buyer(undefined),
};

function buyer(categories: Record<string, number> | undefined): Contact {
  const at = '2026-10-01T08:00:00.000Z';
  return aContact({
    consent: { email: { status: 'subscribed', changedAt: at }, sms: { status: 'none', changedAt: at } },
    topics: ['newsletter'],
    pendingTopics: [],
    ...(categories === undefined ? {} : { customer: { ...emptyCustomerCard(), categories } }),
  });
}

beforeAll(async () => {
  env = await startStack({ periodicSchedules: false });
  table = connectToTable(env.stack);
  const { documentClient } = table;
  const { tableName } = env.stack;
  await publishCompiled(
    new DynamoTemplateStore(documentClient, tableName),
    {
      id: 'e2e-new-in-category',
      kind: 'marketing',
      subject: 'New in your favourite category',
      text: 'Something new for you.',
      mjml: '<mj-text>Something new for you.</mj-text>',
    },
    new Date(),
  );
  await new DynamoJourneyStore(documentClient, tableName).publish(
    JourneyDefinition.parse({
      id: 'e2e-new-in-category',
      name: 'New in your category',
      trigger: { event: 'product_published' },
      entry: { reentry: 'always', concurrent: true },
      start: 'tell',
      nodes: [{ id: 'tell', type: 'send_email', template: 'e2e-new-in-category' }],
    }),
    new Date(),
  );
  const contacts = new DynamoContactStore(documentClient, tableName);
  for (const person of Object.values(people)) await contacts.create(aSignup(person));
});

afterAll(async () => {
  table?.client.destroy();
  await env?.stack.stop();
});

const cli = async (...args: string[]) => {
  const printed: string[] = [];
  const code = await runCli([...args, '--api', env.stack.apiUrl, '--token', adminToken], {
    print: (text) => printed.push(text.toString()),
    env: {},
  });
  return { code, output: printed.join('\n') };
};

const launchEvents = async (person: Contact) =>
  (
    await queryAll(table.documentClient, {
      TableName: env.stack.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.contact(person.id).PK, ':prefix': keys.eventPrefix },
    })
  ).filter((item) => item.eventType === 'product_published');

const launchMail = async (person: Contact) =>
  (await env.mail.to(person.email)).filter((mail) => mail.subject === 'New in your favourite category');

describe('launching a product from the CLI', () => {
  it('imports a CSV file, storing the good rows and naming the bad one by line and field', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rapport-catalog-'));
    const file = join(folder, 'catalog.csv');
    await writeFile(
      file,
      [
        'sku,name,category,price,currency,replacement_cycle_days,published_at,url,image',
        'BOOK-E2E,The launch book,books,24.90,EUR,,,https://shop.example.com/launch-book,',
        'RAKE-1,Garden rake,garden,19,EUR,,,,',
        'HOSE-1,Garden hose,garden,cheap,EUR,,,,',
        '',
      ].join('\n'),
    );
    const imported = await cli('products', 'import', file);
    expect(imported.code).toBe(1);
    expect(imported.output).toContain('3 rows, 2 created, 0 replaced, 1 problems');
    expect(imported.output).toMatch(/4\s+HOSE-1\s+price\s+"cheap" is not a price/);

    const listed = await cli('products', 'list', '--json');
    expect(JSON.parse(listed.output).products.map((product: { sku: string }) => product.sku)).toEqual([
      'BOOK-E2E',
      'RAKE-1',
    ]);
  });

  it('publishes the book, and only the contacts who buy books hear of it', async () => {
    const published = await cli('products', 'publish', 'BOOK-E2E');
    expect(published).toMatchObject({ code: 0, output: expect.stringContaining('published BOOK-E2E at') });

    await env.stack.tick();
    await env.stack.idle();

    for (const reader of [people.bookworm, people.mixed]) {
      expect(await launchEvents(reader)).toEqual([
        expect.objectContaining({ data: expect.objectContaining({ sku: 'BOOK-E2E', category: 'books' }) }),
      ]);
      expect(await launchMail(reader)).toHaveLength(1);
    }
    for (const other of [people.gardener, people.newcomer]) {
      expect(await launchEvents(other)).toEqual([]);
      expect(await launchMail(other)).toEqual([]);
    }

    const jobs = await cli('products', 'jobs', 'BOOK-E2E', '--json');
    expect(JSON.parse(jobs.output)).toMatchObject({
      jobs: [
        { status: 'done', work: { kind: 'product-fan-out', category: 'books' }, counts: { changed: 2 } },
      ],
    });
  });

  it('stores products sent as JSON through the API, and names a bad field', async () => {
    const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
    const send = (method: string, path: string, body: unknown) =>
      fetch(`${env.stack.apiUrl}${path}`, { method, headers: admin, body: JSON.stringify(body) });

    const imported = await send('POST', '/admin/products/import', [
      { sku: 'SEEDS-1', name: 'Tomato seeds', category: 'garden', price: 3.5 },
      { sku: 'SEEDS-2', name: 'Basil seeds', category: 'garden', price: 'cheap' },
    ]);
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({
      created: 1,
      problems: [{ index: 1, sku: 'SEEDS-2', field: 'price' }],
    });

    const refused = await send('PUT', '/admin/products/SEEDS-1', { name: 'Seeds', category: 'garden' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { fields: { price: expect.any(String) } } });
  });

  it('answers a product it does not have with 404 through the API', async () => {
    const response = await env.http.get('/admin/products/NO-SUCH-SKU', {
      authorization: `Bearer ${adminToken}`,
    });
    expect(response.status).toBe(404);
  });
});

/**
 * A subscriber to recommendations whom the shipped new-book-launch journey, if
 * it takes them in, puts in its treatment group: the journey may hold a share
 * of its entrants back as a control (by a hash of the contact), and a reader
 * held back would never be mailed. The engine itself decides, through a
 * simulation of the shipped journey.
 */
const readerOutsideHoldout = async (email: string): Promise<Contact> => {
  const { journeys } = await loadContent(repoRoot);
  const definition = journeys.find((journey) => journey.id === 'new-book-launch');
  if (definition === undefined) throw new Error('journeys/ has no new-book-launch');
  const from = new Date();
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const candidate = { ...buyer(undefined), email, topics: ['recommendations'] };
    const { timeline } = await simulate(
      {
        definition,
        contact: candidate,
        events: [
          {
            type: 'product_published',
            at: from.toISOString(),
            data: { category: 'books/crime', categories: ['books', 'books/crime'] },
          },
        ],
        from,
        to: new Date(from.getTime() + 60_000),
      },
      { template: async () => undefined },
    );
    const [entry] = timeline;
    if (entry?.kind !== 'entered' || entry.group !== 'control') return candidate;
  }
  throw new Error('every reader tried landed in the control group of new-book-launch');
};

/**
 * The shop files its books by genre. Two readers who take recommendations, one
 * of crime and one of cookbooks, buy through /v1/events; a new crime novel is
 * published, and the shipped new-book-launch journey (triggered on the `books`
 * department) mails the crime reader about it, and not the cookbook reader.
 */
describe('when books are filed by genre', () => {
  const admin = { authorization: `Bearer ${adminToken}` };
  const crimeReader = 'crime.reader@example.com';
  const cookbookReader = 'cookbook.reader@example.com';
  const newBookMail = async (email: string) =>
    (await env.mail.to(email)).filter((mail) => mail.subject === 'New books we think you will like');

  it('imports books in two genres, keeping the path, and refuses a malformed one naming its index and field', async () => {
    const imported = await env.http.postJson(
      '/admin/products/import',
      [
        { sku: 'CRIME-OLD', name: 'The Long Night', category: 'books/crime', price: 14.5 },
        { sku: 'COOK-OLD', name: 'Bread at Home', category: 'books/cooking', price: 23 },
        {
          sku: 'CRIME-NEW',
          name: 'Murder at the Harbour',
          category: 'books/crime',
          price: 19.5,
          url: 'https://shop.example.com/murder-at-the-harbour',
        },
        { sku: 'COOK-BAD', name: 'Soup', category: 'books//cooking', price: 9 },
      ],
      admin,
    );
    expect(imported.status).toBe(200);
    expect(JSON.parse(imported.text)).toMatchObject({
      created: 3,
      problems: [
        { index: 3, sku: 'COOK-BAD', field: 'category', message: expect.stringContaining('empty level') },
      ],
    });
    const listed = await cli('products', 'list');
    expect(listed.output).toMatch(/CRIME-NEW\s+Murder at the Harbour\s+books\/crime\s/);
  });

  it('tells the crime reader of a new crime novel, and not the cookbook reader', async () => {
    const created = await env.http.postJson('/admin/api-keys', { name: 'genre shop' }, admin);
    const { key } = JSON.parse(created.text);
    const order = (userId: string, email: string, sku: string, price: number) =>
      env.http.postJson(
        '/v1/events',
        {
          type: 'track',
          event: 'Order Completed',
          userId,
          email,
          messageId: `order-${userId}`,
          timestamp: new Date(Date.now() - 3_600_000).toISOString(),
          properties: { order_id: `O-${userId}`, total: price, products: [{ sku, price }] },
        },
        { authorization: `Bearer ${key}` },
      );
    const contacts = new DynamoContactStore(table.documentClient, env.stack.tableName);
    const readers = [await readerOutsideHoldout(crimeReader), await readerOutsideHoldout(cookbookReader)];
    for (const reader of readers) await contacts.create(aSignup(reader));
    expect((await order('crime-1', crimeReader, 'CRIME-OLD', 14.5)).status).toBe(202);
    expect((await order('cook-1', cookbookReader, 'COOK-OLD', 23)).status).toBe(202);
    await env.stack.idle();

    const published = await env.http.postJson('/admin/products/CRIME-NEW/publish', {}, admin);
    expect(published.status).toBe(202);
    expect(JSON.parse(published.text)).toMatchObject({
      product: { category: 'books/crime' },
      job: { work: { kind: 'product-fan-out', category: 'books/crime' } },
    });
    await env.stack.tick();
    await env.stack.idle();

    const [crime, cookbook] = readers;
    if (crime === undefined || cookbook === undefined) throw new Error('two readers');
    expect(await launchEvents(crime)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ categories: ['books', 'books/crime'] }) }),
    ]);
    expect(await launchEvents(cookbook)).toEqual([]);
    const [mail, ...more] = await newBookMail(crimeReader);
    expect(more).toEqual([]);
    expect(mail?.body.text).toContain(
      'Murder at the Harbour (crime): https://shop.example.com/murder-at-the-harbour',
    );
    expect(await newBookMail(cookbookReader)).toEqual([]);
  });

  it('says in the CLI who a launch in a genre reaches', async () => {
    await env.http.postJson(
      '/admin/products/import',
      [{ sku: 'COOK-NEW', name: 'Sunday Roasts', category: 'books/cooking', price: 21 }],
      admin,
    );
    const published = await cli('products', 'publish', 'COOK-NEW');
    expect(published).toMatchObject({
      code: 0,
      output: expect.stringContaining(
        'contacts who buy in "books/cooking" (or in "books" itself) are told by job',
      ),
    });
  });
});

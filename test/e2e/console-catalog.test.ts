import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildConsoleIfStale } from '../../infra/local/console-build.js';
import { repoRoot } from '../../infra/local/local-stack.js';
import { DynamoContactStore } from '../../lib/adapters/dynamodb/dynamo-contact-store.js';
import { emptyCustomerCard } from '../../lib/domain/customer-card.js';
import { aContact, aSignup } from '../integration/support/builders.js';
import { checkPage, launchChromium } from './support/browser.js';
import { adminToken, startStack } from './support/stack.js';
import { connectToTable, type LocalTableClients } from './support/table.js';

/**
 * The catalog pages of the marketer console in real Chromium against the local
 * stack: a CSV import whose bad row is listed with its problem, a search, a
 * product edited and published, and the fan-out's progress followed to the end.
 */
let env: Awaited<ReturnType<typeof startStack>>;
let table: LocalTableClients;
let browser: Browser;
let page: Page;

const catalogCsv = [
  'sku,name,category,price,currency,replacement_cycle_days,published_at,url,image',
  'CONSOLE-BOOK-1,The console novel,books/crime,19.90,EUR,,,https://shop.example.com/novel,',
  'CONSOLE-LAMP-2,Desk lamp,office/lighting,35,EUR,1460,,,',
  'CONSOLE-BAD-3,Broken row,books,twelve euros,EUR,,,,',
].join('\n');

beforeAll(async () => {
  await buildConsoleIfStale(repoRoot, () => undefined);
  env = await startStack();
  table = connectToTable(env.stack);
  const at = '2026-10-01T08:00:00.000Z';
  // Buys books: a `books/crime` launch reaches them (a level above it).
  const reader = aContact({
    email: 'catalog-reader@example.com',
    consent: { email: { status: 'subscribed', changedAt: at }, sms: { status: 'none', changedAt: at } },
    topics: ['newsletter'],
    pendingTopics: [],
    customer: { ...emptyCustomerCard(), categories: { books: 2 } },
  });
  await new DynamoContactStore(table.documentClient, env.stack.tableName).create(aSignup(reader));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  table?.client.destroy();
  await env?.stack.stop();
});

const heading = (name: string) => page.getByRole('heading', { level: 1, name });

/** The fan-out's line once it is done: the reader, who buys books, was told of the crime novel. */
const fanOutDone = () =>
  page
    .getByRole('listitem')
    .filter({ hasText: /^done [\d,]+ contacts? looked at, 1 buyer in the category told/ });

describe('the catalog in the marketer console', () => {
  it('imports a CSV file, stores the good rows and lists the bad one with its line, field and problem', async () => {
    await page.goto(`${env.stack.consoleUrl}catalog`);
    await page.getByLabel('Admin token').fill(adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Catalog').waitFor();
    await page.getByText('The catalog is empty').waitFor();
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'catalog.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(catalogCsv),
    });
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByText('2 of 3 rows accepted: 2 new, 0 replaced').waitFor();
    const problems = page.getByRole('table', { name: /1 problem/ });
    const bad = problems.getByRole('row', { name: /CONSOLE-BAD-3/ });
    expect(await bad.getByRole('cell').allTextContents()).toEqual([
      '4',
      'CONSOLE-BAD-3',
      'price',
      '"twelve euros" is not a price such as 19.90',
    ]);
    // The list shows what was stored, and only that.
    const products = page.getByRole('table', { name: /2 products/ });
    await products.getByRole('link', { name: 'CONSOLE-BOOK-1' }).waitFor();
    await products.getByRole('link', { name: 'CONSOLE-LAMP-2' }).waitFor();
    expect(await products.getByRole('link', { name: 'CONSOLE-BAD-3' }).count()).toBe(0);
    await checkPage(page, 'catalog');
  });

  it('finds a product by a part of its name and opens it', async () => {
    await page.getByLabel('SKU, name or category contains').fill('console NOVEL');
    await page.getByRole('button', { name: 'Search' }).click();
    const found = page.getByRole('table', { name: /1 product matching/ });
    await found.getByRole('link', { name: 'CONSOLE-BOOK-1' }).waitFor();
    expect(await found.getByRole('link', { name: 'CONSOLE-LAMP-2' }).count()).toBe(0);
    expect(new URL(page.url()).searchParams.get('q')).toBe('console NOVEL');
    await found.getByRole('link', { name: 'CONSOLE-BOOK-1' }).click();
    await heading('The console novel').waitFor();
    expect(await page.getByLabel('Category', { exact: true }).inputValue()).toBe('books/crime');
    expect(await page.getByLabel('Link', { exact: true }).inputValue()).toBe(
      'https://shop.example.com/novel',
    );
  });

  it('saves an edited field, and names a field the API refuses', async () => {
    await page.getByLabel('Price', { exact: true }).fill('a lot');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('alert').getByText('Not saved').waitFor();
    expect(await page.getByLabel('Price', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Price', { exact: true }).fill('21.50');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    const stored = await fetch(`${env.stack.apiUrl}/admin/products/CONSOLE-BOOK-1`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(await stored.json()).toMatchObject({ product: { price: 21.5, category: 'books/crime' } });
  });

  it('publishes the product after a confirmation and follows the fan-out until it is done, also after coming back', async () => {
    page.once('dialog', (dialog) => dialog.accept());
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText(/Published .+\./).waitFor();
    await fanOutDone().waitFor({ timeout: 30_000 });
    await checkPage(page, 'product');
    await page.getByRole('link', { name: 'Catalog' }).first().click();
    await heading('Catalog').waitFor();
    await page.goBack();
    await heading('The console novel').waitFor();
    await fanOutDone().waitFor();
  });
});

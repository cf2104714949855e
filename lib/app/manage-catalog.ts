import { z } from 'zod';
import { canonicalTime, ProductInput } from '../domain/catalog.js';
import type {
  ImportProblem,
  ImportResult,
  ProductDetails,
  ProductJobs,
  PublishedProduct,
  PutProductResult,
} from '../domain/catalog-answers.js';
import { ConcurrentUpdateError, NotFoundError, ValidationError } from '../domain/errors.js';
import { productJobSubject } from '../domain/journey-job.js';
import { type Product, Sku } from '../domain/product.js';
import type { CatalogStore, ProductPage, StoredProduct } from '../ports/catalog-store.js';
import { problemsOf, refuse } from './admin/problems.js';
import { type ImportRow, type ParsedImport, parseProductCsv, parseProductJson } from './catalog-import.js';
import { type EnqueueJobDeps, enqueueProductFanOut } from './journey-jobs.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface ManageCatalogDeps extends EnqueueJobDeps {
  catalog: CatalogStore;
}

export type ImportInput = { format: 'csv'; text: string } | { format: 'json'; body: unknown };

const skuOf = (sku: string): string => {
  const parsed = Sku.safeParse(sku);
  if (!parsed.success) throw new ValidationError({ sku: parsed.error.issues[0]?.message ?? 'is not a sku' });
  return parsed.data;
};

const details = ({ product, version }: StoredProduct): ProductDetails => ({ product, version });

export const ProductListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `next` of the page before. */
  after: Sku.optional(),
  /** Only products whose sku, name or category contains this, in any case. */
  q: z.string().trim().min(1, 'must not be empty').max(100).optional(),
});

/**
 * Products one search request looks at, at most: the catalog is kept in sku
 * order only, so a search walks it, and a page stays well inside API Gateway's
 * 29 s. A page with fewer matches than asked for and a `next` means "look further".
 */
export const maxProductsSearched = 2_000;
const searchReadSize = 500;

const matches = (product: Product, text: string): boolean =>
  [product.sku, product.name, product.category].some((value) => value.toLowerCase().includes(text));

const searchProducts = async (
  catalog: CatalogStore,
  text: string,
  limit: number,
  from: string | undefined,
): Promise<ProductPage> => {
  const found: Product[] = [];
  let after = from;
  let looked = 0;
  while (looked < maxProductsSearched) {
    const page = await catalog.list(Math.min(searchReadSize, maxProductsSearched - looked), after);
    for (const product of page.products) {
      looked += 1;
      if (!matches(product, text)) continue;
      found.push(product);
      // A full page of matches: the next one goes on right after the last match.
      if (found.length === limit) return { products: found, next: product.sku };
    }
    after = page.next;
    if (after === undefined) return { products: found };
  }
  return { products: found, next: after };
};

/** The catalog a page at a time, in sku order; with `q`, only the products it finds. */
export const listProducts = async (deps: ManageCatalogDeps, query: unknown): Promise<ProductPage> => {
  const parsed = ProductListQuery.safeParse(query ?? {});
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the query is not valid');
  const { limit, after, q } = parsed.data;
  if (q === undefined) return deps.catalog.list(limit, after);
  return searchProducts(deps.catalog, q.toLowerCase(), limit, after);
};

export const getProduct = async (deps: ManageCatalogDeps, sku: string): Promise<ProductDetails> => {
  const stored = await deps.catalog.get(skuOf(sku));
  if (stored === undefined) throw new NotFoundError(`there is no product "${sku}"`);
  return details(stored);
};

/**
 * Creates or replaces the product over the version just read. The launch date
 * is kept when the input leaves it out: editing a price does not unpublish.
 */
const store = (deps: ManageCatalogDeps, input: ProductInput): Promise<PutProductResult> =>
  retryOnConflict(async () => {
    const existing = await deps.catalog.get(input.sku);
    const now = deps.clock.now().toISOString();
    const publishedAt = input.publishedAt ?? existing?.product.publishedAt;
    const product: Product = {
      ...input,
      ...(publishedAt === undefined ? {} : { publishedAt: canonicalTime(publishedAt) }),
      createdAt: existing?.product.createdAt ?? now,
      updatedAt: now,
    };
    const stored = await deps.catalog.put(product, existing?.version);
    return { ...details(stored), created: existing === undefined };
  });

/** PUT: the whole product; the sku comes from the path and, if the body names one, it must agree. */
export const putProduct = async (
  deps: ManageCatalogDeps,
  sku: string,
  body: unknown,
): Promise<PutProductResult> => {
  const pathSku = skuOf(sku);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError({ body: 'must be a JSON object describing the product' });
  }
  const parsed = ProductInput.safeParse({ sku: pathSku, ...body });
  if (!parsed.success) throw refuse(problemsOf(parsed.error), 'the product is not valid; nothing was stored');
  if (parsed.data.sku !== pathSku) {
    throw new ValidationError({ sku: `must be "${pathSku}", the sku in the path` });
  }
  return store(deps, parsed.data);
};

export const deleteProduct = async (
  deps: ManageCatalogDeps,
  sku: string,
): Promise<{ sku: string; deleted: true }> => {
  const removed = await retryOnConflict(() => deps.catalog.remove(skuOf(sku)));
  if (removed === undefined) throw new NotFoundError(`there is no product "${sku}"`);
  return { sku: removed.sku, deleted: true };
};

/** Rows are written a few at a time: fast enough for a thousand rows, gentle on the table. */
const importConcurrency = 8;

const whereIs = (row: ImportRow): Pick<ImportProblem, 'line' | 'index'> => ({
  ...(row.line === undefined ? {} : { line: row.line }),
  ...(row.index === undefined ? {} : { index: row.index }),
});

/**
 * Stores every good row and reports every bad one; nothing is all-or-nothing.
 * A `published_at` in a row is the product's launch date and is kept as such
 * (with its category-release entry); only publishing tells contacts.
 */
export const importProducts = async (deps: ManageCatalogDeps, input: ImportInput): Promise<ImportResult> => {
  const parsed: ParsedImport =
    input.format === 'csv' ? parseProductCsv(input.text) : parseProductJson(input.body);
  const problems = [...parsed.problems];
  let created = 0;
  let replaced = 0;
  const queue = [...parsed.rows];
  const worker = async () => {
    for (let row = queue.shift(); row !== undefined; row = queue.shift()) {
      try {
        const result = await store(deps, row.product);
        if (result.created) created += 1;
        else replaced += 1;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError)) throw error;
        problems.push({
          ...whereIs(row),
          sku: row.product.sku,
          field: 'row',
          message: 'was being changed by someone else at the same time; import it again',
        });
      }
    }
  };
  await Promise.all(Array.from({ length: importConcurrency }, worker));
  const positions = new Set([...parsed.rows, ...problems].map((row) => row.line ?? row.index));
  return {
    received: positions.size,
    created,
    replaced,
    problems: problems.sort((a, b) => (a.line ?? a.index ?? 0) - (b.line ?? b.index ?? 0)),
  };
};

export const PublishRequest = z
  .object({
    /** The launch time; default now. */
    publishedAt: z.iso.datetime().optional(),
  })
  .strict();

/**
 * Launches the product: sets its publication time, files it under the releases
 * of each level of its category, and files the fan-out that tells every contact
 * who buys in that category or in a level above it (one `product_published`
 * event each, at the configured rate): a `books/crime` launch reaches crime
 * readers and buyers in `books` itself, not readers of `books/cooking`.
 */
export const publishProduct = async (
  deps: ManageCatalogDeps,
  sku: string,
  body: unknown,
): Promise<PublishedProduct> => {
  const parsed = PublishRequest.safeParse(body ?? {});
  if (!parsed.success)
    throw refuse(problemsOf(parsed.error), 'the request is not valid; nothing was published');
  const now = deps.clock.now();
  const publishedAt = canonicalTime(parsed.data.publishedAt ?? now.toISOString());
  // The fan-out starts at once, so a launch in the future would be announced early.
  if (publishedAt > now.toISOString()) {
    throw new ValidationError({ publishedAt: 'is in the future; publish when the product is launched' });
  }
  const stored = await retryOnConflict(() =>
    deps.catalog.publish(skuOf(sku), publishedAt, now.toISOString()),
  );
  const job = await enqueueProductFanOut(deps, stored.product);
  return { ...details(stored), job };
};

/** The product's fan-outs, newest first, with their progress. */
export const productJobs = async (deps: ManageCatalogDeps, sku: string): Promise<ProductJobs> => ({
  sku,
  jobs: await deps.jobs.listForSubject(productJobSubject(skuOf(sku))),
});

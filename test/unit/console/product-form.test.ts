import { describe, expect, it } from 'vitest';
import {
  fanOutProgress,
  fanOutRunning,
  productBody,
  productFormValues,
} from '../../../console/src/product-form.js';
import { ProductInput } from '../../../lib/domain/catalog.js';
import { JourneyJob } from '../../../lib/domain/journey-job.js';
import { Product } from '../../../lib/domain/product.js';

const product = Product.parse({
  sku: 'BOOK-7',
  name: 'Dune',
  category: 'books/scifi',
  price: 25,
  currency: 'EUR',
  replacementCycleDays: 365,
  publishedAt: '2026-11-01T09:00:00.000Z',
  url: 'https://shop.example.com/dune',
  createdAt: '2026-10-01T08:00:00.000Z',
  updatedAt: '2026-10-01T08:00:00.000Z',
});

const fanOut = (status: 'pending' | 'done' | 'failed', seen: number, changed: number, error?: string) =>
  JourneyJob.parse({
    id: `job-${status}`,
    subject: 'product:BOOK-7',
    work: { kind: 'product-fan-out', sku: 'BOOK-7', category: 'books/scifi' },
    status,
    cursor: { shard: 0 },
    counts: { seen, changed, unchanged: seen - changed },
    createdAt: '2026-11-01T09:00:00.000Z',
    updatedAt: '2026-11-01T09:00:05.000Z',
    ...(error === undefined ? {} : { error }),
    revision: 1,
  });

describe('the product form', () => {
  it('saves a product unchanged as the input it was made from, without its launch date', () => {
    const body = productBody(productFormValues(product));
    const { createdAt: _c, updatedAt: _u, publishedAt: _p, ...fields } = product;
    expect(ProductInput.parse({ sku: product.sku, ...body })).toEqual(fields);
    expect(body).not.toHaveProperty('publishedAt');
  });

  it('leaves blank optional fields out, so the product no longer has them', () => {
    const body = productBody({
      ...productFormValues(product),
      replacementCycleDays: ' ',
      url: '',
      image: '',
    });
    expect(body).not.toHaveProperty('replacementCycleDays');
    expect(body).not.toHaveProperty('url');
    expect(body).not.toHaveProperty('image');
  });

  it('sends numbers as numbers, and text that is no number as typed for the API to name', () => {
    expect(productBody({ ...productFormValues(product), price: ' 19.90 ' }).price).toBe(19.9);
    expect(productBody({ ...productFormValues(product), price: 'a lot' }).price).toBe('a lot');
    expect(productBody({ ...productFormValues(product), currency: 'usd' }).currency).toBe('USD');
  });
});

describe('a fan-out’s progress', () => {
  it('says what it has done so far, when done, and why it failed', () => {
    expect(fanOutProgress(fanOut('pending', 1200, 3))).toBe(
      '1,200 contacts looked at so far, 3 buyers in the category told',
    );
    expect(fanOutProgress(fanOut('done', 1, 1))).toBe('1 contact looked at, 1 buyer in the category told');
    expect(fanOutProgress(fanOut('failed', 10, 0, 'the table refused'))).toBe(
      'stopped after 10 contacts looked at: the table refused',
    );
  });

  it('is followed while any fan-out is pending, and no longer once all are done', () => {
    expect(fanOutRunning([fanOut('pending', 0, 0), fanOut('done', 5, 1)])).toBe(true);
    expect(fanOutRunning([fanOut('done', 5, 1), fanOut('failed', 1, 0)])).toBe(false);
    expect(fanOutRunning([])).toBe(false);
  });
});

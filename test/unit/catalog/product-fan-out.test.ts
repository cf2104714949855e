import { describe, expect, it } from 'vitest';
import {
  buysInCategory,
  productPublishedEvent,
  productPublishedEventId,
} from '../../../lib/domain/catalog.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import type { Product } from '../../../lib/domain/product.js';

const at = '2026-10-01T08:00:00.000Z';

const contactBuying = (categories?: Record<string, number>): Contact => ({
  id: '01JCONTACT0000000000000001',
  email: 'reader@example.com',
  consent: { email: { status: 'subscribed', changedAt: at }, sms: { status: 'none', changedAt: at } },
  topics: [],
  pendingTopics: [],
  attributes: {},
  acquisition: { at },
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...(categories === undefined ? {} : { customer: { ...emptyCustomerCard(), categories } }),
});

const product: Product = {
  sku: 'BOOK-7',
  name: 'Dune, illustrated',
  category: 'books',
  price: 25,
  currency: 'EUR',
  publishedAt: '2026-11-01T09:00:00.000Z',
  url: 'https://shop.example.com/dune',
  createdAt: at,
  updatedAt: at,
};

describe('who hears of a product launch', () => {
  it('is every contact who has bought at least one unit in its category', () => {
    expect(buysInCategory(contactBuying({ books: 3 }), 'books')).toBe(true);
    expect(buysInCategory(contactBuying({ books: 1, garden: 2 }), 'garden')).toBe(true);
  });

  it('is not a contact who bought only in other categories, whose count went to zero, or who never bought', () => {
    expect(buysInCategory(contactBuying({ garden: 2 }), 'books')).toBe(false);
    expect(buysInCategory(contactBuying({ books: 0 }), 'books')).toBe(false);
    expect(buysInCategory(contactBuying(), 'books')).toBe(false);
  });
});

describe('the product_published event', () => {
  it('has the same id however often it is made for a product and contact, and another for any other pair', () => {
    const contact = contactBuying({ books: 1 });
    const first = productPublishedEvent(product, contact.id, new Date('2026-11-01T09:00:00Z'));
    const again = productPublishedEvent(product, contact.id, new Date('2026-11-01T09:05:00Z'));
    expect(again.id).toBe(first.id);
    expect(productPublishedEventId('BOOK-8', contact.id)).not.toBe(first.id);
    expect(productPublishedEventId(product.sku, '01JCONTACT0000000000000002')).not.toBe(first.id);
  });

  it('cannot confuse a sku ending in a contact id with another pair', () => {
    expect(productPublishedEventId('A-1', 'B')).not.toBe(productPublishedEventId('A', '1B'));
    expect(productPublishedEventId('A-1', 'B')).not.toContain('#');
  });

  it('carries the product fields journeys read, without the catalog bookkeeping', () => {
    const event = productPublishedEvent(product, 'c-1', new Date('2026-11-01T09:00:00Z'));
    expect(event).toEqual({
      id: productPublishedEventId('BOOK-7', 'c-1'),
      contactId: 'c-1',
      type: 'product_published',
      at: '2026-11-01T09:00:00.000Z',
      data: {
        sku: 'BOOK-7',
        name: 'Dune, illustrated',
        category: 'books',
        categories: ['books'],
        price: 25,
        currency: 'EUR',
        publishedAt: '2026-11-01T09:00:00.000Z',
        url: 'https://shop.example.com/dune',
      },
    });
  });

  it('carries the category path and every level above it, so a journey can trigger on the department', () => {
    const crime = { ...product, category: 'books/crime' };
    expect(productPublishedEvent(crime, 'c-1', new Date('2026-11-01T09:00:00Z')).data).toMatchObject({
      category: 'books/crime',
      categories: ['books', 'books/crime'],
    });
  });
});

describe('when categories are paths, who hears of a launch in books/crime', () => {
  it('is a crime reader, and a buyer in books itself from before the shop had genres', () => {
    expect(buysInCategory(contactBuying({ 'books/crime': 1 }), 'books/crime')).toBe(true);
    expect(buysInCategory(contactBuying({ books: 2 }), 'books/crime')).toBe(true);
  });

  it('is not a cookbook reader, a reader of a narrower genre, nor a buyer of another department', () => {
    expect(buysInCategory(contactBuying({ 'books/cooking': 4 }), 'books/crime')).toBe(false);
    expect(buysInCategory(contactBuying({ 'books/crime/nordic': 3 }), 'books/crime')).toBe(false);
    expect(buysInCategory(contactBuying({ 'office/paper': 9, books2: 1 }), 'books/crime')).toBe(false);
  });
});

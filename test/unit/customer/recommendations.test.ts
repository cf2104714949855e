import { describe, expect, it } from 'vitest';
import {
  boughtTogether,
  categoryAffinity,
  categoryPicks,
  newInCategories,
  newSince,
  recommend,
} from '../../../lib/domain/recommendations.js';
import { aCard, aProduct, catalogOf, daysAgo, NOW } from './support/customers.js';

const owned = (sku: string, category: string) => ({
  sku,
  category,
  purchasedAt: daysAgo(200),
  orderId: 'o1',
});

/** Books: 10 units, last bought 180 days ago; garden: 4, today; toys: 1, 90 days ago. */
const card = aCard({
  orders: 5,
  revenue: 250,
  averageOrderValue: 50,
  firstPurchaseAt: daysAgo(400),
  lastPurchaseAt: daysAgo(0),
  categories: { books: 10, garden: 4, toys: 1 },
  categoryLastPurchasedAt: { books: daysAgo(180), garden: daysAgo(0), toys: daysAgo(90) },
  ownedProducts: [owned('A', 'books'), owned('B', 'garden')],
});

const released = (sku: string, category: string, days: number, extra: { url?: string } = {}) =>
  aProduct({ sku, category, publishedAt: daysAgo(days), ...extra });

const releases = [
  released('N-BOOK-OLD', 'books', 12),
  released('N-BOOK-1', 'books', 5),
  released('N-BOOK-2', 'books', 2),
  released('N-GARDEN', 'garden', 1, { url: 'https://shop.example/n-garden' }),
  released('N-PET', 'pets', 1),
  released('A', 'books', 3),
  released('N-FUTURE', 'books', -1),
];

const coPurchases = new Map([
  [
    'A',
    new Map([
      ['X', 8],
      ['Y', 2],
      ['B', 10],
    ]),
  ],
  [
    'B',
    new Map([
      ['Y', 3],
      ['Z', 1],
      ['B', 5],
    ]),
  ],
]);

describe('category affinity', () => {
  it('halves a category’s units for every half-life since it was last bought', () => {
    // garden 4 × 0.5^0 = 4; books 10 × 0.5^(180/90) = 2.5; toys 1 × 0.5^(90/90) = 0.5.
    expect(categoryAffinity(card, NOW)).toEqual([
      { category: 'garden', score: 4 },
      { category: 'books', score: 2.5 },
      { category: 'toys', score: 0.5 },
    ]);
  });

  it('lets a longer half-life favour the category bought most', () => {
    // books 10 × 0.5^(180/180) = 5 > garden 4.
    expect(categoryAffinity(card, NOW, 180).map(({ category }) => category)).toEqual([
      'books',
      'garden',
      'toys',
    ]);
  });

  it('dates a category without a last purchase to the first purchase', () => {
    const undated = aCard({ firstPurchaseAt: daysAgo(90), categories: { books: 6 } });

    expect(categoryAffinity(undated, NOW)).toEqual([{ category: 'books', score: 3 }]);
  });
});

describe('bought together', () => {
  it('gives each owned product one equal vote, split by its co-purchase shares', () => {
    // A's row totals 20: X 8/20 = 0.4, Y 2/20 = 0.1 (B is owned). B's row totals 4 (itself left out):
    // Y 3/4 = 0.75, Z 1/4 = 0.25. So Y 0.85, X 0.4, Z 0.25.
    const ranked = boughtTogether(card, coPurchases);

    expect(ranked.map(({ sku }) => sku)).toEqual(['Y', 'X', 'Z']);
    expect(ranked[0]?.score).toBeCloseTo(0.85, 10);
  });

  it('sums the raw counts when not normalized, so the busiest owned product leads', () => {
    expect(boughtTogether(card, coPurchases, false)).toEqual([
      { sku: 'X', score: 8 },
      { sku: 'Y', score: 5 },
      { sku: 'Z', score: 1 },
    ]);
  });
});

describe('new in your categories', () => {
  it('lists releases since the last recommendation in the customer’s categories, best category first, newest first', () => {
    const since = aCard({ ...card, lastRecommendedAt: daysAgo(10) });

    expect(newInCategories(since, releases, NOW).map(({ sku }) => sku)).toEqual([
      'N-GARDEN',
      'N-BOOK-2',
      'N-BOOK-1',
    ]);
  });

  it('looks back 30 days for a customer never recommended to', () => {
    expect(newSince(card, NOW).toISOString()).toBe(daysAgo(30));
    expect(newInCategories(card, releases, NOW).map(({ sku }) => sku)).toEqual([
      'N-GARDEN',
      'N-BOOK-2',
      'N-BOOK-1',
      'N-BOOK-OLD',
    ]);
  });

  it('counts a product without a launch date from when the catalog first saw it', () => {
    const synced = aProduct({
      sku: 'SYNCED',
      category: 'toys',
      createdAt: daysAgo(3),
      updatedAt: daysAgo(3),
    });

    expect(newInCategories(card, [synced], NOW).map(({ sku }) => sku)).toEqual(['SYNCED']);
  });
});

describe('recommendations', () => {
  const catalog = catalogOf(
    aProduct({ sku: 'A', category: 'books' }),
    aProduct({ sku: 'B', category: 'garden' }),
    aProduct({ sku: 'X', category: 'toys', price: 12.5, image: 'https://shop.example/x.jpg' }),
    aProduct({ sku: 'Y', category: 'garden' }),
    aProduct({ sku: 'Z', category: 'garden' }),
    aProduct({ sku: 'G1', category: 'garden' }),
    aProduct({ sku: 'G2', category: 'garden' }),
    ...releases,
  );
  const popularity = new Map([
    ['G1', 50],
    ['Y', 30],
  ]);
  const inputs = { catalog, coPurchases, releases, popularity };
  const recent = aCard({ ...card, lastRecommendedAt: daysAgo(10) });

  it('orders a category’s catalog products by units sold, then newest', () => {
    expect(
      categoryPicks(card, catalog, NOW, { popularity })
        .slice(0, 5)
        .map(({ sku }) => sku),
    ).toEqual(['G1', 'Y', 'N-GARDEN', 'G2', 'Z']);
  });

  it('takes one from each recommender in turn, skipping what another already placed', () => {
    // new: N-GARDEN, N-BOOK-2, N-BOOK-1; together: Y, X, Z; affinity: G1, Y, N-GARDEN, G2, Z, …
    expect(recommend(recent, inputs, { now: NOW }).map(({ sku, reason }) => `${sku}:${reason}`)).toEqual([
      'N-GARDEN:new-in-category',
      'Y:bought-together',
      'G1:category-affinity',
      'N-BOOK-2:new-in-category',
      'X:bought-together',
      'G2:category-affinity',
    ]);
  });

  it('returns items in the shape templates read', () => {
    const items = recommend(recent, inputs, { now: NOW, limit: 5 });

    expect(items).toHaveLength(5);
    expect(items[0]).toEqual({
      sku: 'N-GARDEN',
      name: 'Product N-GARDEN',
      category: 'garden',
      price: 10,
      url: 'https://shop.example/n-garden',
      reason: 'new-in-category',
    });
    expect(items[4]).toMatchObject({ sku: 'X', price: 12.5, image: 'https://shop.example/x.jpg' });
  });

  it('lets the other recommenders fill the list when one runs dry, and skips co-purchases missing from the catalog', () => {
    const withUnknown = new Map([...coPurchases, ['A', new Map([['NOT-IN-CATALOG', 100]])]]);
    const items = recommend(
      recent,
      { catalog, coPurchases: withUnknown, releases: [] },
      { now: NOW, limit: 4 },
    );

    // No releases. A's only co-purchase is unknown, leaving B's: Y 0.75, Z 0.25. Without sales figures the
    // garden picks go newest first: N-GARDEN (1 day old), then the rest by sku: G1, G2, …
    expect(items.map(({ sku, reason }) => `${sku}:${reason}`)).toEqual([
      'Y:bought-together',
      'N-GARDEN:category-affinity',
      'Z:bought-together',
      'G1:category-affinity',
    ]);
  });

  it('recommends nothing to a customer with no purchases', () => {
    expect(recommend(aCard(), inputs, { now: NOW })).toEqual([]);
  });
});

describe('when categories are paths', () => {
  /** Crime: 3 units, bought 10 days ago. */
  const crimeReader = aCard({
    firstPurchaseAt: daysAgo(10),
    categories: { 'books/crime': 3 },
    categoryLastPurchasedAt: { 'books/crime': daysAgo(10) },
    ownedProducts: [owned('CRIME-OWNED', 'books/crime')],
  });
  const genreReleases = [
    released('CRIME-NEW', 'books/crime', 2),
    released('COOK-NEW', 'books/cooking', 1),
    released('NORDIC-NEW', 'books/crime/nordic', 3),
    released('CRIME-OWNED', 'books/crime', 4),
  ];

  it('finds what is new for a reader at the leaf: their genre and below, never a sibling genre', () => {
    expect(newInCategories(crimeReader, genreReleases, NOW).map(({ sku }) => sku)).toEqual([
      'CRIME-NEW',
      'NORDIC-NEW',
    ]);
    expect(categoryPicks(crimeReader, catalogOf(...genreReleases), NOW).map(({ sku }) => sku)).toEqual([
      'CRIME-NEW',
      'NORDIC-NEW',
    ]);
  });

  it('finds every new book for a buyer in books itself, from before the shop had genres, each once', () => {
    const departmentBuyer = aCard({
      firstPurchaseAt: daysAgo(100),
      categories: { books: 2, 'books/crime': 1 },
      categoryLastPurchasedAt: { books: daysAgo(100), 'books/crime': daysAgo(5) },
    });
    // Read from `books` and from `books/crime`, as recommend-for-contact does for both categories.
    const read = [...genreReleases, released('CRIME-NEW', 'books/crime', 2)];
    // Crime and below rank by the crime affinity (1 × 0.5^(5/90) ≈ 0.96), newest first; cooking by the
    // department's (2 × 0.5^(100/90) ≈ 0.93).
    expect(newInCategories(departmentBuyer, read, NOW).map(({ sku }) => sku)).toEqual([
      'CRIME-NEW',
      'NORDIC-NEW',
      'CRIME-OWNED',
      'COOK-NEW',
    ]);
  });

  it('keeps the full path in what templates read', () => {
    expect(
      recommend(
        crimeReader,
        { catalog: new Map(), coPurchases: new Map(), releases: genreReleases },
        { now: NOW },
      ),
    ).toEqual([
      expect.objectContaining({ sku: 'CRIME-NEW', category: 'books/crime', reason: 'new-in-category' }),
      expect.objectContaining({
        sku: 'NORDIC-NEW',
        category: 'books/crime/nordic',
        reason: 'new-in-category',
      }),
    ]);
  });
});

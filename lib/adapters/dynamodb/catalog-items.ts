import { z } from 'zod';
import { canonicalTime } from '../../domain/catalog.js';
import { ancestorsOf, StoredCategory } from '../../domain/category-path.js';
import { Product } from '../../domain/product.js';
import type { StoredProduct } from '../../ports/catalog-store.js';
import { type DamageReporter, readRepairing } from './damaged-items.js';
import { keys } from './keys.js';

/** A product stored before categories were paths may hold any category; it reads as one flat level. */
export const ProductAsStored = Product.extend({ category: StoredCategory });
export const StoredProductItem = ProductAsStored.extend({ version: z.number().int().min(1) });

/** Publication times are sort keys: one canonical form, or string order would not be time order. */
export const canonical = (product: Product): Product =>
  product.publishedAt === undefined
    ? product
    : { ...product, publishedAt: canonicalTime(product.publishedAt) };

export type Key = { PK: string; SK: string };

/**
 * One release entry per level of the category: a `books/crime` book is new in
 * `books/crime` and in `books`. "New in books/crime since" stays one range
 * query that finds only crime; "new in books" (a customer who bought in the
 * department before the shop had genres) finds every book.
 */
export const releaseKeys = (product: Product): Key[] => {
  const { publishedAt } = product;
  if (publishedAt === undefined) return [];
  return ancestorsOf(product.category).map((level) =>
    keys.categoryRelease(level, canonicalTime(publishedAt), product.sku),
  );
};

export const sameKey = (a: Key, b: Key): boolean => a.PK === b.PK && a.SK === b.SK;

/**
 * Strictly after `sinceIso`: sort keys are `<publishedAt>#<sku>`, and U+FFFF sorts
 * after every character a sku may hold, so a product published at that very
 * moment is left out with the ones before it.
 */
export const afterMoment = (sinceIso: string): string => `${canonicalTime(sinceIso)}#\uffff`;

/** A product stored before a rule was added (a `javascript:` url) is read without the field that breaks it, and reported. */
export const stored = (item: Record<string, unknown>, report: DamageReporter): StoredProduct => {
  const { version, ...product } = readRepairing(StoredProductItem, item, report);
  return { product, version };
};

import type { z } from 'zod';
import { ancestorsOf, withCategories } from './category-path.js';
import type { Contact } from './contact.js';
import type { ContactEvent } from './contact-event.js';
import { own } from './own-property.js';
import { Product } from './product.js';

/**
 * A product as an operator gives it (the admin API, an import row): everything
 * but the times the catalog keeps itself. Unknown fields are refused, so a
 * misspelt one (`replacement_cycle_days` in JSON) is named instead of dropped.
 */
export const ProductInput = Product.omit({ createdAt: true, updatedAt: true }).strict();
export type ProductInput = z.infer<typeof ProductInput>;

/**
 * ISO times in one form (`toISOString`, milliseconds, `Z`): category releases
 * are sorted and compared as strings, which only works when every time is
 * written alike.
 */
export const canonicalTime = (iso: string): string => new Date(iso).toISOString();

/**
 * The contact has bought at least one unit in the category, or in a level
 * above it: a `books/crime` launch reaches crime readers, and buyers in `books`
 * itself (whose books were filed before the shop had genres), but not readers
 * of `books/cooking`, nor of `books/crime/nordic` (more specific than the launch).
 */
export const buysInCategory = (contact: Contact, category: string): boolean => {
  const counts = contact.customer?.categories ?? {};
  return ancestorsOf(category).some((level) => (own(counts, level) ?? 0) > 0);
};

/**
 * One id per product and contact, so a fan-out page done twice (a crash before
 * its progress was saved, two runs at once) finds the event written and writes
 * nothing; `#` cannot occur in a sku, which keeps the pair unambiguous.
 */
export const productPublishedEventId = (sku: string, contactId: string): string =>
  `pub-${Buffer.from(`${sku}#${contactId}`).toString('base64url')}`;

/**
 * What journeys see of a published product: `event.data.category` (the full
 * path), `event.data.categories` (it and every level above, for triggering on a
 * department), `event.data.url`, …
 */
export const productEventData = (product: Product): Record<string, unknown> => {
  const { createdAt: _created, updatedAt: _updated, ...fields } = product;
  return withCategories(fields);
};

export const productPublishedEvent = (product: Product, contactId: string, at: Date): ContactEvent => ({
  id: productPublishedEventId(product.sku, contactId),
  contactId,
  type: 'product_published',
  at: at.toISOString(),
  data: productEventData(product),
});

import { z } from 'zod';
import { CategoryPath } from './category-path.js';

export const Sku = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'skus are letters, digits, ".", "_" and "-"');

/** What browsers and mail clients reliably follow; a longer link is a mistake or a payload. */
export const maxWebUrlLength = 2_048;

/**
 * Links and images go into sent mail as `href` and `src`: only http and https,
 * never `javascript:` or `data:`, and no longer than `maxWebUrlLength`. Also when
 * reading, so a product stored before this rule loses the link rather than mailing it.
 */
export const WebUrl = z
  .url({
    protocol: /^https?$/,
    error: 'must be an http or https URL',
  })
  .max(maxWebUrlLength, `must be at most ${maxWebUrlLength} characters`);

/** A product in the catalog; orders are enriched from it (category, replacement cycle) when they arrive. */
export const Product = z.object({
  sku: Sku,
  name: z.string().min(1).max(300),
  /** A path, department first: `books/crime`; a flat `books` is a path of one level. */
  category: CategoryPath,
  price: z.number().min(0),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR')
    .default('EUR'),
  /** How long the product lasts (a copier 1,460 days, a filter 180); purchases get a replacement due date from it. */
  replacementCycleDays: z.number().int().min(1).max(36_500).optional(),
  /** When it is (or was) launched; publishing a product sets it and fans `product_published` out to interested contacts. */
  publishedAt: z.iso.datetime().optional(),
  url: WebUrl.optional(),
  image: WebUrl.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Product = z.infer<typeof Product>;

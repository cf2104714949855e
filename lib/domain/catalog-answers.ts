import { z } from 'zod';
import { JourneyJob } from './journey-job.js';
import { Product, Sku } from './product.js';

/**
 * What the catalog routes of the admin API answer, read by the console with
 * these same schemas.
 */

/** One page of the catalog in sku order; `next` is the sku to go on after, absent after the last page. */
export const ProductPage = z.object({
  products: z.array(Product),
  next: Sku.optional(),
});
export type ProductPage = z.infer<typeof ProductPage>;

/** A product with the version it is stored at. */
export const ProductDetails = z.object({
  product: Product,
  version: z.number().int().min(1),
});
export type ProductDetails = z.infer<typeof ProductDetails>;

export const PutProductResult = ProductDetails.extend({ created: z.boolean() });
export type PutProductResult = z.infer<typeof PutProductResult>;

/** One bad row, or one bad field of a row, of an import. */
export const ImportProblem = z.object({
  /** CSV: the line the row starts on (the header is line 1). */
  line: z.number().int().min(1).optional(),
  /** JSON: the row's position in the array, from 0. */
  index: z.number().int().min(0).optional(),
  sku: z.string().optional(),
  /** The column (CSV) or property (JSON) at fault; `row` when the row as a whole is. */
  field: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportResult = z.object({
  /** Rows read, good and bad. */
  received: z.number().int().min(0),
  created: z.number().int().min(0),
  replaced: z.number().int().min(0),
  /** Every row that was not stored, and why, by line (CSV) or index (JSON). */
  problems: z.array(ImportProblem),
});
export type ImportResult = z.infer<typeof ImportResult>;

/** A publication: the product as launched, and the fan-out filed to tell the contacts who buy in its category. */
export const PublishedProduct = ProductDetails.extend({ job: JourneyJob });
export type PublishedProduct = z.infer<typeof PublishedProduct>;

/** The product's fan-outs, newest first, with their progress. */
export const ProductJobs = z.object({
  sku: Sku,
  jobs: z.array(JourneyJob),
});
export type ProductJobs = z.infer<typeof ProductJobs>;

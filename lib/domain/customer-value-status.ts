import { z } from 'zod';
import { RfmThresholds } from './customer-value.js';

/**
 * What `GET /admin/customer-value` answers: the last refresh's base-wide
 * figures, which model scores customers (with the fitted parameters, or why
 * the heuristic), and how many replacement cycles were learned.
 */
export const CustomerValueStatus = z.object({
  /** False until the first daily refresh: purchases are then scored against themselves. */
  refreshed: z.boolean(),
  thresholds: RfmThresholds.optional(),
  cycles: z
    .object({ learnedAt: z.iso.datetime(), categories: z.number().int(), products: z.number().int() })
    .optional(),
});
export type CustomerValueStatus = z.infer<typeof CustomerValueStatus>;

import { z } from 'zod';

/** One thing wrong with a submitted definition, at its JSON path (`nodes.2.next`). */
export const Problem = z.object({ path: z.string(), message: z.string() });
export type Problem = z.infer<typeof Problem>;

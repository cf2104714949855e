import { z } from 'zod';

/**
 * Answer shapes the journey and campaign reports share: a group's members and
 * conversions, and treatment against control with the lift. Only what the demo
 * reads; a change in the system's answer fails the demo with the route named.
 */

export const GroupAnswer = z.object({
  members: z.number(),
  conversions: z.number(),
  revenue: z.number(),
  conversionRate: z.number().nullable(),
  revenuePerMember: z.number().nullable(),
});
export type GroupAnswer = z.infer<typeof GroupAnswer>;

export const HoldoutAnswer = z.object({
  confidence: z.number(),
  treatment: GroupAnswer,
  control: GroupAnswer,
  lift: z.object({
    absolute: z.number().nullable(),
    relative: z.number().nullable(),
    interval: z.object({ lower: z.number(), upper: z.number() }).nullable(),
    significant: z.boolean(),
  }),
});
export type HoldoutAnswer = z.infer<typeof HoldoutAnswer>;

import { z } from 'zod';
import { CurrencyCode } from './money.js';
import { SendingState } from './sending-state.js';

const count = z.number().int().min(0);

/** One UTC day of the whole deployment's activity. */
export const OverviewDay = z.object({
  day: z.iso.date(),
  /** The audience: new signups awaiting confirmation, confirmations, email unsubscribes. */
  signups: count,
  confirmations: count,
  unsubscribes: count,
  /** Messages handed to the channel: transactional mail, every journey's and every campaign's. */
  sends: count,
  /** SES's events for all mail. */
  deliveries: count,
  bounces: count,
  complaints: count,
  opens: count,
  clicks: count,
  /** Bounces and complaints over SES's sends of the day; null on a day nothing was sent. */
  bounceRate: z.number().min(0).nullable(),
  complaintRate: z.number().min(0).nullable(),
  /** Orders credited by last click to journeys' and campaigns' mail, and their revenue in major units. */
  orders: count,
  revenue: z.number(),
});
export type OverviewDay = z.infer<typeof OverviewDay>;

/** A journey or campaign among the busiest of the range. */
export const OverviewActivity = z.object({
  id: z.string(),
  name: z.string(),
  sends: count,
  orders: count,
  revenue: z.number(),
});
export type OverviewActivity = z.infer<typeof OverviewActivity>;

/** The answer of `GET /admin/overview`: the last `days` days, oldest first, every day present. */
export const Overview = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  currency: CurrencyCode,
  /** Whether marketing email goes out now: the console warns on every visit while it is paused. */
  sending: SendingState,
  days: z.array(OverviewDay),
  /** The five journeys and the five campaigns with the most sends over the range, most first. */
  topJourneys: z.array(OverviewActivity),
  topCampaigns: z.array(OverviewActivity),
});
export type Overview = z.infer<typeof Overview>;

export const overviewMaxDays = 92;

export const OverviewQuery = z.object({
  days: z.coerce
    .number({ error: 'must be a whole number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(1, { error: `must be from 1 to ${overviewMaxDays}` })
    .max(overviewMaxDays, { error: `must be from 1 to ${overviewMaxDays}` })
    .default(30),
});
export type OverviewQuery = z.infer<typeof OverviewQuery>;

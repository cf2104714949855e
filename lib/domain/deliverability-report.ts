import { z } from 'zod';
import { EmailRates, ReputationThresholds } from './reputation.js';
import { SendingState } from './sending-state.js';

/**
 * What `GET /admin/deliverability` answers, and what the CLI and the console
 * read back: Rapport's own bounce and complaint rates, from the SES events it
 * counts, per day, per journey and per campaign, beside the sending state.
 */

export const deliverabilityMaxDays = 90;

export const DeliverabilityQuery = z.object({
  days: z.coerce
    .number({ error: 'must be a whole number of days' })
    .int({ error: 'must be a whole number of days' })
    .min(1, { error: `must be from 1 to ${deliverabilityMaxDays}` })
    .max(deliverabilityMaxDays, { error: `must be from 1 to ${deliverabilityMaxDays}` })
    .default(30),
});
export type DeliverabilityQuery = z.infer<typeof DeliverabilityQuery>;

export const DeliverabilityLevel = z.enum(['healthy', 'warning', 'critical']);
export type DeliverabilityLevel = z.infer<typeof DeliverabilityLevel>;

/** One rate at or above its warning threshold. */
export const RateBreach = z.object({
  rate: z.enum(['bounce-rate', 'complaint-rate']),
  level: DeliverabilityLevel,
  value: z.number().min(0),
  /** The threshold it reached: the critical one when critical, the warning one otherwise. */
  threshold: z.number().min(0),
});
export type RateBreach = z.infer<typeof RateBreach>;

/** The rates of the last `windowDays` days judged as the automatic pause judges them. */
export const DeliverabilityWindow = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  rates: EmailRates,
  /** `healthy` whenever there were fewer sends than `minSends`, whatever the rates. */
  level: DeliverabilityLevel,
  tooFewSends: z.boolean(),
  /** Each rate past its warning threshold, worst first. */
  breaches: z.array(RateBreach),
  /** One line for a person: which rate, how high, over how many sends, against which threshold. */
  cause: z.string(),
});
export type DeliverabilityWindow = z.infer<typeof DeliverabilityWindow>;

/**
 * How a day or a mailing's rates stand against the thresholds, however few its
 * sends: a marketer looks for the mailing that hurt, not only for one big
 * enough to pause sending. `tooFewSends` says when the rates rest on fewer
 * sends than the pause waits for.
 */
const Judged = { level: DeliverabilityLevel, tooFewSends: z.boolean() };

/** One UTC day of the `email` scope: all mail, transactional included. */
export const DeliverabilityDay = EmailRates.extend({ day: z.iso.date(), ...Judged });
export type DeliverabilityDay = z.infer<typeof DeliverabilityDay>;

/** A journey's or a campaign's mail over the period. */
export const MailingRates = EmailRates.extend({ id: z.string(), name: z.string(), ...Judged });
export type MailingRates = z.infer<typeof MailingRates>;

export const DeliverabilityReport = z.object({
  /** The period: the last `days` UTC days, today included. */
  from: z.iso.date(),
  to: z.iso.date(),
  /** Whether marketing email goes out now, and the pause's cause when it does not. */
  sending: SendingState,
  thresholds: ReputationThresholds,
  window: DeliverabilityWindow,
  /** The period's rates, all mail. */
  total: EmailRates,
  /** Every day of the period, oldest first, empty days included. */
  days: z.array(DeliverabilityDay),
  /**
   * Each journey and campaign with SES events in the period, worst first: by
   * complaint rate, then bounce rate; rates of nothing sent come last.
   */
  journeys: z.array(MailingRates),
  campaigns: z.array(MailingRates),
});
export type DeliverabilityReport = z.infer<typeof DeliverabilityReport>;

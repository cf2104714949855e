import { z } from 'zod';
import { Acquisition } from './contact.js';
import type { Order } from './order.js';

const DAY_MS = 86_400_000;

/** How long after a click a purchase is still credited to it, unless the caller says otherwise. */
export const DEFAULT_ATTRIBUTION_WINDOW_DAYS = 7;

/** A tracked click on a link in a message; the node and template are those of the message, when known. */
export const Click = z.object({
  messageId: z.string().min(1),
  journeyId: z.string().optional(),
  nodeId: z.string().optional(),
  templateId: z.string().optional(),
  /** A campaign's mail: the campaign, and the variant the recipient got. */
  campaignId: z.string().optional(),
  variant: z.string().optional(),
  clickedAt: z.iso.datetime(),
});
export type Click = z.infer<typeof Click>;

/** What an order is credited to: the last click before it (if any in the window), and always the signup source. */
export const Attribution = z.object({
  orderId: z.string(),
  lastClick: Click.optional(),
  acquisition: Acquisition,
  windowDays: z.number().positive(),
});
export type Attribution = z.infer<typeof Attribution>;

const isLater = (click: Click, than: Click): boolean => {
  const gap = Date.parse(click.clickedAt) - Date.parse(than.clickedAt);
  return gap > 0 || (gap === 0 && click.messageId > than.messageId);
};

/**
 * Last-click attribution: of the clicks at or before the order and no more
 * than `windowDays` before it, the latest; equal times go to the greater
 * message id (ULIDs, so the later message), so the answer never depends on
 * the order the clicks were read in. Clicks after the order are ignored.
 */
export const attributePurchase = (
  order: Order,
  clicks: readonly Click[],
  acquisition: Acquisition,
  windowDays = DEFAULT_ATTRIBUTION_WINDOW_DAYS,
): Attribution => {
  const orderedAt = Date.parse(order.at);
  const opens = orderedAt - windowDays * DAY_MS;
  const lastClick = clicks
    .filter((click) => {
      const at = Date.parse(click.clickedAt);
      return at >= opens && at <= orderedAt;
    })
    .reduce<Click | undefined>(
      (best, click) => (best === undefined || isLater(click, best) ? click : best),
      undefined,
    );
  return {
    orderId: order.orderId,
    ...(lastClick === undefined ? {} : { lastClick }),
    acquisition,
    windowDays,
  };
};

/** The message a click was on, as the outbox keeps it: the journey, node and template that sent it. */
export interface ClickedMessage {
  journeyId?: string | undefined;
  nodeId?: string | undefined;
  templateId?: string | undefined;
  campaignId?: string | undefined;
  variant?: string | undefined;
}

/** The click with what its message says about where it came from; the click's own journey and campaign tags stand. */
export const withMessage = (click: Click, message: ClickedMessage | undefined): Click => {
  const journeyId = click.journeyId ?? message?.journeyId;
  const nodeId = click.nodeId ?? message?.nodeId;
  const templateId = click.templateId ?? message?.templateId;
  const campaignId = click.campaignId ?? message?.campaignId;
  // The variant belongs to its campaign: a tagged campaign keeps its own variant (or none).
  const variant = click.campaignId === undefined ? message?.variant : click.variant;
  return {
    ...click,
    ...(journeyId === undefined ? {} : { journeyId }),
    ...(nodeId === undefined ? {} : { nodeId }),
    ...(templateId === undefined ? {} : { templateId }),
    ...(campaignId === undefined ? {} : { campaignId }),
    ...(campaignId === undefined || variant === undefined ? {} : { variant }),
  };
};

/**
 * What an order keeps of its attribution, beside its channel: the last click's
 * message, journey, node, template and time (none of them without a click),
 * and the customer's acquisition.
 */
export const orderSource = (attribution: Attribution): Omit<Order['source'], 'channel'> => {
  const click = attribution.lastClick;
  return {
    ...(click === undefined
      ? {}
      : {
          messageId: click.messageId,
          ...(click.journeyId === undefined ? {} : { journeyId: click.journeyId }),
          ...(click.nodeId === undefined ? {} : { nodeId: click.nodeId }),
          ...(click.templateId === undefined ? {} : { templateId: click.templateId }),
          ...(click.campaignId === undefined ? {} : { campaignId: click.campaignId }),
          ...(click.variant === undefined ? {} : { variant: click.variant }),
          clickedAt: click.clickedAt,
        }),
    acquisition: attribution.acquisition,
  };
};

/** One arm of a journey's holdout test. */
export const GroupOutcome = z
  .object({
    members: z.number().int().min(0),
    /** Members who bought at least once (not orders: a member converts once). */
    conversions: z.number().int().min(0),
    revenue: z.number(),
  })
  .refine((group) => group.conversions <= group.members, {
    message: 'conversions counts members who bought, so it cannot exceed members',
    path: ['conversions'],
  });
export type GroupOutcome = z.infer<typeof GroupOutcome>;

export const JourneyGroups = z.object({ treatment: GroupOutcome, control: GroupOutcome });
export type JourneyGroups = z.infer<typeof JourneyGroups>;

const GroupReport = z.object({
  members: z.number(),
  conversions: z.number(),
  revenue: z.number(),
  /** Null for an empty group: there is no rate to report, and 0 would claim one. */
  conversionRate: z.number().nullable(),
  revenuePerMember: z.number().nullable(),
});

export const Interval = z.object({ lower: z.number(), upper: z.number() });
export type Interval = z.infer<typeof Interval>;

export const JourneyReport = z.object({
  confidence: z.number(),
  treatment: GroupReport,
  control: GroupReport,
  lift: z.object({
    /** Treatment rate − control rate. */
    absolute: z.number().nullable(),
    /** Absolute lift ÷ control rate; null when the control rate is 0. */
    relative: z.number().nullable(),
    /** Newcombe's hybrid score interval for the absolute lift; null when a group is empty. */
    interval: Interval.nullable(),
    /** The interval excludes 0. */
    significant: z.boolean(),
  }),
  /** Treatment revenue per member − control revenue per member. */
  revenuePerMemberDifference: z.number().nullable(),
});
export type JourneyReport = z.infer<typeof JourneyReport>;

// Wichura's AS241 (PPND16) coefficients, highest power first: the centre (|p − ½| ≤ 0.425), the near tail, the far tail.
const CENTRAL_NUMERATOR = [
  2509.0809287301227, 33430.57558358813, 67265.7709270087, 45921.95393154987, 13731.69376550946,
  1971.5909503065513, 133.14166789178438, 3.3871328727963665,
];
const CENTRAL_DENOMINATOR = [
  5226.495278852854, 28729.085735721943, 39307.89580009271, 21213.794301586597, 5394.196021424751,
  687.1870074920579, 42.31333070160091, 1,
];
const NEAR_TAIL_NUMERATOR = [
  0.0007745450142783414, 0.022723844989269184, 0.2417807251774506, 1.2704582524523684, 3.6478483247632045,
  5.769497221460691, 4.630337846156546, 1.4234371107496835,
];
const NEAR_TAIL_DENOMINATOR = [
  1.0507500716444169e-9, 0.0005475938084995345, 0.015198666563616457, 0.14810397642748008, 0.6897673349851,
  1.6763848301838038, 2.053191626637759, 1,
];
const FAR_TAIL_NUMERATOR = [
  2.0103343992922881e-7, 2.7115555687434876e-5, 0.0012426609473880784, 0.026532189526576124,
  0.29656057182850487, 1.7848265399172913, 5.463784911164114, 6.657904643501103,
];
const FAR_TAIL_DENOMINATOR = [
  2.0442631033899397e-15, 1.421511758316446e-7, 1.8463183175100548e-5, 0.0007868691311456133,
  0.014875361290850615, 0.1369298809227358, 0.599832206555888, 1,
];

const polynomial = (coefficients: readonly number[], x: number): number =>
  coefficients.reduce((sum, coefficient) => sum * x + coefficient, 0);

/**
 * The standard normal quantile, by Wichura's AS241, accurate to about 1e-16:
 * a 95% interval uses 1.959963984540054.
 */
export const normalQuantile = (p: number): number => {
  if (!(p > 0 && p < 1)) throw new RangeError(`a normal quantile needs 0 < p < 1, got ${p}`);
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(CENTRAL_NUMERATOR, r)) / polynomial(CENTRAL_DENOMINATOR, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const x =
    r <= 5
      ? polynomial(NEAR_TAIL_NUMERATOR, r - 1.6) / polynomial(NEAR_TAIL_DENOMINATOR, r - 1.6)
      : polynomial(FAR_TAIL_NUMERATOR, r - 5) / polynomial(FAR_TAIL_DENOMINATOR, r - 5);
  return q < 0 ? -x : x;
};

/**
 * Wilson's score interval for a proportion of `successes` in `trials` (> 0).
 * The ends are pinned to exactly 0 and 1 at 0 and all successes, where
 * floating point would leave a 1e-17 sliver.
 */
export const wilsonInterval = (successes: number, trials: number, z: number): Interval => {
  const p = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    lower: successes === 0 ? 0 : Math.max(0, centre - halfWidth),
    upper: successes === trials ? 1 : Math.min(1, centre + halfWidth),
  };
};

/**
 * Newcombe's (1998) method 10 for p1 − p2: with Wilson intervals (l1, u1)
 * and (l2, u2), the difference d = p1 − p2 has
 * lower = d − √((p1 − l1)² + (u2 − p2)²) and upper = d + √((u1 − p1)² + (p2 − l2)²).
 * Chosen over Wald because Wald collapses to a zero-width interval at 0 or
 * all conversions and undercovers in the small groups a holdout often has.
 */
export const newcombeInterval = (
  first: { successes: number; trials: number },
  second: { successes: number; trials: number },
  confidence: number,
): Interval => {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p1 = first.successes / first.trials;
  const p2 = second.successes / second.trials;
  const one = wilsonInterval(first.successes, first.trials, z);
  const two = wilsonInterval(second.successes, second.trials, z);
  const difference = p1 - p2;
  return {
    lower: difference - Math.sqrt((p1 - one.lower) ** 2 + (two.upper - p2) ** 2),
    upper: difference + Math.sqrt((one.upper - p1) ** 2 + (p2 - two.lower) ** 2),
  };
};

const groupReport = (group: GroupOutcome): z.infer<typeof GroupReport> => ({
  ...group,
  conversionRate: group.members === 0 ? null : group.conversions / group.members,
  revenuePerMember: group.members === 0 ? null : group.revenue / group.members,
});

/**
 * Treatment against control: rates, lift with its confidence interval, and
 * revenue per member. Quantities that do not exist (a rate of an empty
 * group, a relative lift over a zero control rate) are null, never NaN.
 */
export const journeyReport = (groups: JourneyGroups, confidence = 0.95): JourneyReport => {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  const { treatment, control } = JourneyGroups.parse(groups);
  const t = groupReport(treatment);
  const c = groupReport(control);
  const absolute =
    t.conversionRate === null || c.conversionRate === null ? null : t.conversionRate - c.conversionRate;
  const interval =
    treatment.members === 0 || control.members === 0
      ? null
      : newcombeInterval(
          { successes: treatment.conversions, trials: treatment.members },
          { successes: control.conversions, trials: control.members },
          confidence,
        );
  return {
    confidence,
    treatment: t,
    control: c,
    lift: {
      absolute,
      relative: absolute === null || !c.conversionRate ? null : absolute / c.conversionRate,
      interval,
      significant: interval !== null && (interval.lower > 0 || interval.upper < 0),
    },
    revenuePerMemberDifference:
      t.revenuePerMember === null || c.revenuePerMember === null
        ? null
        : t.revenuePerMember - c.revenuePerMember,
  };
};

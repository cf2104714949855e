import { type JourneyReport, journeyReport } from '../domain/attribution.js';
import { journeyStats, type ManageJourneysDeps } from './manage-journeys.js';

export interface JourneyReportAnswer {
  journeyId: string;
  from: string;
  to: string;
  /** Members, goal conversions and their revenue per group, with the lift and its confidence interval. */
  holdout: JourneyReport;
  /** Orders placed within the attribution window after a click on this journey's mail. */
  attributed: { orders: number; revenue: number };
}

const cents = (value: number): number => Math.round(value) / 100;

/**
 * What the journey did, against its control group, over a range of days (the
 * stats range rules apply: 30 days by default, at most 92): entrants per group,
 * goal conversions and the revenue of the converting orders, then the holdout
 * statistics (docs/customer-value.md), and last-click attributed sales.
 */
export const journeyReportOf = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  query: unknown,
): Promise<JourneyReportAnswer> => {
  const stats = await journeyStats(deps, journeyId, query);
  const total = (metric: string) => stats.days.reduce((sum, day) => sum + (day.totals[metric] ?? 0), 0);
  const group = (name: 'treatment' | 'control') => {
    const members = total(`entered:${name}`);
    return {
      members,
      // A counter may run ahead of entrants in a partial range (entered before `from`, converted inside it).
      conversions: Math.min(total(`goal:${name}`), members),
      revenue: cents(total(`goal-revenue-cents:${name}`)),
    };
  };
  return {
    journeyId,
    from: stats.from,
    to: stats.to,
    holdout: journeyReport({ treatment: group('treatment'), control: group('control') }),
    attributed: { orders: total('attributed:orders'), revenue: cents(total('attributed:revenue-cents')) },
  };
};

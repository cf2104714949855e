import { journeyReport } from '../domain/attribution.js';
import type { GroupEnrollments, JourneyReportAnswer } from '../domain/journey-answers.js';
import { fromMinorUnits } from '../domain/money.js';
import { emailRates, sumCounters } from '../domain/reputation.js';
import { type Group, type GroupMetric, metricKey, type StatsMetric } from '../domain/stats-keys.js';
import { journeyStats, type ManageJourneysDeps } from './manage-journeys.js';

export type { GroupEnrollments, JourneyReportAnswer };

/**
 * What the journey did, against its control group, over a range of days (the
 * stats range rules apply: 30 days by default, at most 92). Members are
 * distinct contacts, counted on the day of their first entry; a member converts
 * once, however many of their enrollments reach the goal, and the conversion is
 * counted on the day they joined, so the range's conversions are its members'
 * (lib/domain/journey-membership.ts). Then the holdout statistics
 * (docs/customer-value.md), the enrollments, last-click attributed sales, and
 * SES's events on its mail with the bounce and complaint rates.
 * The counters keep revenue in minor units of `currency`, the deployment's;
 * the answer gives it in major units.
 */
export const journeyReportOf = async (
  deps: ManageJourneysDeps,
  journeyId: string,
  query: unknown,
  currency: string,
): Promise<JourneyReportAnswer> => {
  const stats = await journeyStats(deps, journeyId, query);
  const total = (metric: StatsMetric) =>
    stats.days.reduce((sum, day) => sum + (day.totals[metricKey(metric)] ?? 0), 0);
  const of = (metric: GroupMetric, group: Group) => total({ kind: 'group', metric, group });
  const major = (minor: number) => fromMinorUnits(minor, currency);
  const group = (name: Group) => {
    const members = of('members', name);
    return {
      members,
      // Never more, by construction, except over days whose counters predate member counting.
      conversions: Math.min(of('converted', name), members),
      revenue: major(of('converted-revenue-minor', name)),
    };
  };
  const enrollments = (name: Group): GroupEnrollments => ({
    entered: of('entered', name),
    converted: of('goal', name),
  });
  return {
    journeyId,
    from: stats.from,
    to: stats.to,
    holdout: journeyReport({ treatment: group('treatment'), control: group('control') }),
    enrollments: { treatment: enrollments('treatment'), control: enrollments('control') },
    attributed: {
      orders: total({ kind: 'attributed', metric: 'orders' }),
      revenue: major(total({ kind: 'attributed', metric: 'revenue-minor' })),
    },
    email: emailRates(sumCounters(stats.days.map((day) => day.totals))),
    currency,
  };
};

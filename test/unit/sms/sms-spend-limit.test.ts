import { describe, expect, it } from 'vitest';
import {
  monthToDateQuery,
  spendHeadroomShare,
  spendLimitReachedAt,
} from '../../../lib/adapters/sns/sms-spend-limit.js';

describe('when texts are held for the monthly SMS spend limit', () => {
  it('sends while the month’s spend is short of the limit by more than the headroom', () => {
    expect(spendLimitReachedAt(0, 100)).toBe(false);
    expect(spendLimitReachedAt(100 * (1 - spendHeadroomShare) - 0.01, 100)).toBe(false);
  });

  it('holds texts from the headroom on: SNS stops before the limit itself, and the spend is read minutes late', () => {
    expect(spendLimitReachedAt(100 * (1 - spendHeadroomShare), 100)).toBe(true);
    expect(spendLimitReachedAt(100, 100)).toBe(true);
    expect(spendLimitReachedAt(140, 100)).toBe(true);
  });

  it('holds every text when the limit is zero', () => {
    expect(spendLimitReachedAt(0, 0)).toBe(true);
  });
});

describe('reading the month’s SMS spend from CloudWatch', () => {
  it('asks for the most the month-to-date metric reached since the first of the month (UTC), as one period of whole hours', () => {
    const now = new Date('2026-11-23T10:30:00.000Z');

    const query = monthToDateQuery(now);

    expect(query).toMatchObject({
      Namespace: 'AWS/SNS',
      MetricName: 'SMSMonthToDateSpentUSD',
      StartTime: new Date('2026-11-01T00:00:00.000Z'),
      EndTime: now,
      Statistics: ['Maximum'],
    });
    expect(query.Period % 3_600).toBe(0);
    expect(query.Period * 1000).toBeGreaterThanOrEqual(now.getTime() - query.StartTime.getTime());
  });

  it('still asks for a whole hour in the month’s first second', () => {
    expect(monthToDateQuery(new Date('2026-12-01T00:00:00.000Z')).Period).toBe(3_600);
  });
});

import { describe, expect, it } from 'vitest';
import { matchesCondition } from '../../../lib/domain/conditions.js';
import { withCardView } from '../../../lib/domain/customer-card.js';
import { matchesSegment, segmentConditionProblem } from '../../../lib/domain/segment-condition.js';
import { aSubscribedContact } from '../../support/builders.js';

const now = new Date('2026-12-01T12:00:00.000Z');

const engagedDaysAgo = (days: number) =>
  aSubscribedContact({ lastEngagedAt: new Date(now.getTime() - days * 86_400_000).toISOString() });

describe('contact.lastEngagedAt in a segment', () => {
  describe('when the segment is "not engaged for 180 days"', () => {
    const notEngaged = { 'contact.lastEngagedAt': { $before: '-P180D' } };

    it('is valid', () => {
      expect(segmentConditionProblem(notEngaged)).toBeUndefined();
    });

    it('takes contacts whose last engagement is older, and no others', () => {
      expect(matchesSegment(notEngaged, engagedDaysAgo(181), now)).toBe(true);
      expect(matchesSegment(notEngaged, engagedDaysAgo(179), now)).toBe(false);
      expect(matchesSegment(notEngaged, engagedDaysAgo(0), now)).toBe(false);
    });

    it('never takes a profile without the date; $exists: false finds those', () => {
      const unrecorded = aSubscribedContact();
      expect(matchesSegment(notEngaged, unrecorded, now)).toBe(false);
      expect(matchesSegment({ 'contact.lastEngagedAt': { $exists: false } }, unrecorded, now)).toBe(true);
    });
  });

  it('finds the recently engaged with $within', () => {
    const engaged = { 'contact.lastEngagedAt': { $within: '-P30D' } };
    expect(matchesSegment(engaged, engagedDaysAgo(3), now)).toBe(true);
    expect(matchesSegment(engaged, engagedDaysAgo(31), now)).toBe(false);
  });
});

describe('contact.lastEngagedAt in a journey condition', () => {
  const context = (days: number, enrolledAt: string) => ({
    contact: withCardView(engagedDaysAgo(days)),
    enrollment: { trigger: { at: enrolledAt } },
  });

  it('compares with another date of the context, as ISO times do', () => {
    const engagedSinceEntry = { 'contact.lastEngagedAt': { $gt: { $ref: 'enrollment.trigger.at' } } };
    expect(matchesCondition(engagedSinceEntry, context(1, '2026-11-20T12:00:00.000Z'))).toBe(true);
    expect(matchesCondition(engagedSinceEntry, context(20, '2026-11-20T12:00:00.000Z'))).toBe(false);
  });

  it('compares with a fixed date', () => {
    const since = { 'contact.lastEngagedAt': { $gte: '2026-06-01' } };
    expect(matchesCondition(since, context(10, '2026-11-20T12:00:00.000Z'))).toBe(true);
    expect(matchesCondition(since, context(300, '2026-11-20T12:00:00.000Z'))).toBe(false);
  });
});

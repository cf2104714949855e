import { describe, expect, it } from 'vitest';
import { countMarkDays } from '../../../lib/domain/counter-increment.js';
import {
  softBounceExpiresAt,
  softBounceNote,
  softBouncePolicy,
  softBounceVerdict,
} from '../../../lib/domain/soft-bounce-policy.js';

const day = (n: number): string => new Date(Date.UTC(2026, 10, 1 + n, 9)).toISOString();
const onDay = (n: number): Date => new Date(day(n));

describe('the soft-bounce policy', () => {
  it('rests an address for 30 days after 3 soft bounces within 30 days', () => {
    expect(softBouncePolicy).toEqual({ bounces: 3, windowDays: 30, suppressDays: 30 });
  });

  describe('when an address soft-bounced twice within 30 days', () => {
    it('does nothing yet', () => {
      expect(softBounceVerdict([day(0), day(10)], onDay(10))).toEqual({ suppress: false, counted: 2 });
    });
  });

  describe('when the third soft bounce comes within 30 days of the first', () => {
    it('suppresses the address for 30 days from now', () => {
      expect(softBounceVerdict([day(0), day(10), day(29)], onDay(29))).toEqual({
        suppress: true,
        counted: 3,
        until: day(59),
      });
    });
  });

  describe('when three soft bounces are spread over 40 days', () => {
    it('does not suppress: the first no longer counts', () => {
      expect(softBounceVerdict([day(0), day(20), day(40)], onDay(40))).toEqual({
        suppress: false,
        counted: 2,
      });
    });

    it('does not count a bounce exactly 30 days old', () => {
      expect(softBounceVerdict([day(0), day(15), day(30)], onDay(30))).toMatchObject({ suppress: false });
    });
  });

  describe('when the address was suppressed before and is being tried again', () => {
    it('starts the count over from the end of that suppression', () => {
      const lapsed = day(5);

      expect(softBounceVerdict([day(1), day(2), day(10)], onDay(10), lapsed)).toEqual({
        suppress: false,
        counted: 1,
      });
      expect(softBounceVerdict([day(5), day(8), day(10)], onDay(10), lapsed)).toMatchObject({
        suppress: true,
      });
    });
  });

  it('keeps a bounce on record as long as SNS may redeliver its notification, past the 30 days it counts', () => {
    const now = onDay(0);
    expect(countMarkDays).toBeGreaterThan(softBouncePolicy.windowDays);
    expect(softBounceExpiresAt(now) - now.getTime() / 1000).toBe(countMarkDays * 86_400);
  });

  it('says on the consent log until when and why the address is suppressed', () => {
    expect(softBounceNote('2026-12-24T09:00:00.000Z')).toBe(
      'suppressed until 2026-12-24 after 3 soft bounces in 30 days',
    );
  });
});

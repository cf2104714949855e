import { describe, expect, it } from 'vitest';
import { timerItem, timerKey } from '../../../lib/adapters/dynamodb/timer-items.js';
import type { Timer } from '../../../lib/domain/timer.js';
import {
  bucketsBetween,
  canonicalDueAt,
  minuteBucket,
  nextBucket,
  timerLocation,
  timerShard,
} from '../../../lib/ports/timer-store.js';

const aTimer = (overrides: Partial<Timer> = {}): Timer => ({
  id: 'welcome#01JENROLLMENT#wait-3-days#1',
  contactId: 'contact-1',
  dueAt: '2030-01-01T09:00:30.000Z',
  journeyId: 'welcome',
  enrollmentId: '01JENROLLMENT',
  nodeId: 'wait-3-days',
  visit: 1,
  ...overrides,
});

describe('minute buckets', () => {
  it('files a time under the UTC minute it falls in', () => {
    expect(minuteBucket(new Date('2030-01-01T09:00:59.999Z'))).toBe('2030-01-01T09:00');
    expect(minuteBucket(new Date('2030-01-01T10:00:00.000+01:00'))).toBe('2030-01-01T09:00');
  });

  it('steps over hour, day and year ends', () => {
    expect(nextBucket('2030-12-31T23:59')).toBe('2031-01-01T00:00');
    expect(nextBucket('2028-02-28T23:59')).toBe('2028-02-29T00:00');
  });

  it('counts the buckets between two minutes, both included', () => {
    expect(bucketsBetween('2030-01-01T09:00', '2030-01-01T09:00')).toBe(1);
    expect(bucketsBetween('2030-01-01T09:00', '2030-01-02T09:00')).toBe(1_441);
    expect(bucketsBetween('2030-01-01T09:01', '2030-01-01T09:00')).toBe(0);
  });

  it('orders buckets as strings the way it orders them in time', () => {
    const buckets = ['2030-01-01T09:00', '2029-12-31T23:59', '2030-01-01T10:00', '2030-01-01T09:59'];
    const byTime = [...buckets].sort(
      (left, right) => new Date(`${left}Z`).getTime() - new Date(`${right}Z`).getTime(),
    );
    expect([...buckets].sort()).toEqual(byTime);
  });
});

describe('write shards', () => {
  it('puts the same timer in the same shard every time', () => {
    expect(timerShard('a#b#c#1', 8)).toBe(timerShard('a#b#c#1', 8));
  });

  it('stays within the shard count', () => {
    for (let index = 0; index < 500; index += 1) {
      const shard = timerShard(`journey#enrollment-${index}#node#1`, 8);
      expect(shard).toBeGreaterThanOrEqual(0);
      expect(shard).toBeLessThan(8);
    }
  });

  it('spreads many timers over every shard roughly evenly', () => {
    const counts = new Array<number>(8).fill(0);
    for (let index = 0; index < 8_000; index += 1) {
      const shard = timerShard(`journey#enrollment-${index}#node#1`, 8);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('refuses a shard count below one', () => {
    expect(() => timerShard('x', 0)).toThrow(RangeError);
  });
});

describe('where a timer is filed', () => {
  it('files a future timer under its due minute', () => {
    const timer = aTimer();
    expect(timerLocation(timer, 8, new Date('2029-06-01T00:00:00Z'))).toEqual({
      bucket: '2030-01-01T09:00',
      shard: timerShard(timer.id, 8),
    });
  });

  describe('when the timer is already due as it is scheduled', () => {
    it('files it under the minute it is scheduled in, where the tick still looks', () => {
      const timer = aTimer({ dueAt: '2020-01-01T00:00:00.000Z' });
      expect(timerLocation(timer, 8, new Date('2030-01-01T09:05:10Z')).bucket).toBe('2030-01-01T09:05');
    });
  });

  it('keys the item by bucket and shard, then due time and id', () => {
    const timer = aTimer({ dueAt: '2030-01-01T09:00:30Z' });
    const shard = timerShard(timer.id, 4);
    expect(timerKey(timer, 4)).toEqual({
      PK: `T#2030-01-01T09:00#${shard}`,
      SK: `2030-01-01T09:00:30.000Z#${timer.id}`,
    });
  });

  it('writes due times in one form, so sort keys compare as times', () => {
    expect(canonicalDueAt('2030-01-01T09:00:30Z')).toBe('2030-01-01T09:00:30.000Z');
  });

  it('builds an item with the timer, its place, its kind and a TTL well after it is due', () => {
    const timer = aTimer();
    const item = timerItem(timer, 8);
    expect(item).toMatchObject({
      ...timerKey(timer, 8),
      ...timer,
      type: 'timer',
      bucket: '2030-01-01T09:00',
    });
    const dueSeconds = new Date(timer.dueAt).getTime() / 1000;
    expect(item.expiresAt - dueSeconds).toBeGreaterThanOrEqual(7 * 24 * 3600);
  });

  it('files a timer four years out like any other', () => {
    const timer = aTimer({ dueAt: '2034-03-01T09:00:00.000Z' });
    expect(timerItem(timer, 8, new Date('2030-03-01T09:00:00Z')).PK).toMatch(/^T#2034-03-01T09:00#\d$/);
  });
});

import { type RateDecision, type RateLimit, type RateLimiter, windowOf } from '../../ports/rate-limiter.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys } from '../dynamodb/keys.js';
import type { MemoryTable } from './memory-table.js';

const countOf = (item: Record<string, unknown> | undefined): number =>
  typeof item?.count === 'number' ? item.count : 0;

/** DynamoRateLimiter's counters on the memory table: the same keys, counted only while under the limit. */
export class MemoryRateLimiter implements RateLimiter {
  constructor(private readonly table: MemoryTable) {}

  async take(key: string, rate: RateLimit, now: Date): Promise<RateDecision> {
    const window = windowOf(rate, now);
    const outcome = this.table.write({
      update: keys.rateWindow(key, window.start),
      condition: (current) => countOf(current) < rate.limit,
      apply: (current) => ({
        ...current,
        count: countOf(current) + 1,
        type: 'rate-window' satisfies ItemType,
      }),
    });
    return outcome.written ? { allowed: true } : window.refusal;
  }

  async check(key: string, rate: RateLimit, now: Date): Promise<RateDecision> {
    const window = windowOf(rate, now);
    return countOf(this.table.get(keys.rateWindow(key, window.start))) >= rate.limit
      ? window.refusal
      : { allowed: true };
  }
}

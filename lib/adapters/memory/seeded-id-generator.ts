import { monotonicFactory } from 'ulid';
import type { Clock } from '../../ports/clock.js';
import type { IdGenerator } from '../../ports/id-generator.js';

/** A small, fast, seedable generator (mulberry32): the same seed gives the same sequence. */
export const seededRandom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/**
 * ULIDs whose time is the clock's and whose randomness comes from a seed: a
 * simulation run twice with the same seed and the same clock makes the same ids,
 * and ids still sort in the order they were made (monotonic within a millisecond,
 * and when the clock is set back).
 */
export class SeededIdGenerator implements IdGenerator {
  private readonly nextUlid;

  constructor(
    private readonly clock: Clock,
    seed = 1,
  ) {
    this.nextUlid = monotonicFactory(seededRandom(seed));
  }

  next(): string {
    return this.nextUlid(this.clock.now().getTime());
  }
}

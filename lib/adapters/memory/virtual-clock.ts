import type { Clock } from '../../ports/clock.js';

/**
 * Time that moves only when told: a simulation or a test sets it, advances it,
 * or lets a use case's `sleep` move it on at once instead of waiting.
 */
export class VirtualClock implements Clock {
  private current: number;

  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
    if (Number.isNaN(this.current)) throw new RangeError(`the clock cannot start at ${String(start)}`);
  }

  now(): Date {
    return new Date(this.current);
  }

  async sleep(ms: number): Promise<void> {
    this.advance(ms);
  }

  /** Moves to the moment (backwards too: a test may replay an earlier time). */
  set(at: Date | string): void {
    const next = new Date(at).getTime();
    if (Number.isNaN(next)) throw new RangeError(`the clock cannot be set to ${String(at)}`);
    this.current = next;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock only moves forward, not by ${ms} ms`);
    this.current += ms;
  }
}

import type { Clock } from '../../lib/ports/clock.js';

/**
 * The clock the demo's stack reads: the system's time plus an offset that only
 * grows. Time runs as usual (leases, claims and waits behave as they do on
 * `npm start`) until the demo lets hours pass at once, for a campaign that goes
 * at 10:00 tomorrow in each reader's zone; everything the stack does then is
 * dated as if that much time had passed.
 */
export class DemoClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Moves the clock on to `at`; never back, so nothing the stack stored lies in its future. */
  passUntil(at: Date): void {
    this.offsetMs += Math.max(0, at.getTime() - this.now().getTime());
  }

  /** How far ahead of the system's time the stack runs. */
  aheadMs(): number {
    return this.offsetMs;
  }
}

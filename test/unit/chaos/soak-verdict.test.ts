import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../scripts/chaos/chaos-client.js';
import { type MinuteSample, soakVerdict } from '../../../scripts/chaos/soak.js';

const startedAt = Date.parse('2026-12-05T12:00:00Z');
const window = { startedAt, warmUpMinutes: 1, minutes: 7 };

const minutes = (resident: number[]): MinuteSample[] =>
  resident.map((residentMb, minute) => ({ minute, residentMb, calls: 10, p99Ms: 0 }));

/** One call a second from the end of the warm-up, each taking `latency(minute)` ms. */
const ledger = (latency: (minute: number) => number): LedgerEntry[] =>
  Array.from({ length: 6 * 60 }, (_, second) => ({
    kind: 'signup',
    contact: second,
    attempts: 1,
    status: 200,
    answeredAt: startedAt + 60_000 + second * 1000,
    latencyMs: latency(1 + Math.floor(second / 60)),
  }));

describe('the soak verdict', () => {
  it('calls memory flat when the last third after the warm-up holds within 10 % of the first', () => {
    const verdict = soakVerdict(
      minutes([90, 200, 205, 210, 208, 212, 215]),
      ledger(() => 50),
      window,
    );

    expect(verdict.memoryFlat).toBe(true);
    // (212 + 215) / 2 against (200 + 205) / 2.
    expect(verdict.memoryGrowth).toBeCloseTo(213.5 / 202.5 - 1);
    expect(verdict.memorySpread).toBeCloseTo(15 / 200);
  });

  it('calls a sawtooth flat: the collectors free what they took, nothing grows', () => {
    const verdict = soakVerdict(
      minutes([90, 200, 240, 200, 240, 200, 240]),
      ledger(() => 50),
      window,
    );

    expect(verdict.memorySpread).toBeCloseTo(0.2);
    expect(verdict.memoryGrowth).toBeCloseTo(0);
    expect(verdict.memoryFlat).toBe(true);
  });

  it('calls memory growing when it climbs past 10 % after the warm-up, whatever the warm-up did', () => {
    const verdict = soakVerdict(
      minutes([300, 200, 210, 220, 230, 240, 250]),
      ledger(() => 50),
      window,
    );

    expect(verdict.memoryFlat).toBe(false);
    expect(verdict.memoryGrowth).toBeCloseTo(245 / 205 - 1);
  });

  it('leaves the minutes after the traffic (the drain) out', () => {
    const verdict = soakVerdict(
      minutes([90, 200, 205, 210, 208, 212, 215, 500, 600]),
      ledger(() => 50),
      window,
    );

    expect(verdict.memoryFlat).toBe(true);
    expect(verdict.memorySpread).toBeCloseTo(15 / 200);
  });

  it('calls latency drifting when the last third’s p99 is more than 1.5 times the first third’s', () => {
    const steady = soakVerdict(
      minutes([200, 200, 200, 200, 200, 200, 200]),
      ledger(() => 80),
      window,
    );
    const drifting = soakVerdict(
      minutes([200, 200, 200, 200, 200, 200, 200]),
      ledger((minute) => 40 * minute),
      window,
    );

    expect(steady.latencySteady).toBe(true);
    expect(drifting.firstThirdP99Ms).toBe(80);
    expect(drifting.lastThirdP99Ms).toBe(240);
    expect(drifting.latencySteady).toBe(false);
  });
});

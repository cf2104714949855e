import hyp2f1 from '@stdlib/math-base-special-hyp2f1';
import { describe, expect, it } from 'vitest';
import {
  HypergeometricDomainError,
  logHyp2f1,
  logHyp2f1Series,
} from '../../../../lib/domain/hypergeometric.js';

/** ₂F₁ summed term by term: the definition, exact to rounding for positive a, b, c and 0 ≤ z < 1. */
const directSeries = (a: number, b: number, c: number, z: number): number => {
  let term = 1;
  let sum = 1;
  for (let n = 0; n < 1_000_000; n += 1) {
    term *= (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    sum += term;
    if (term < 1e-17 * sum) return sum;
  }
  return Number.NaN;
};

// The arguments BG/NBD passes: (r + x, b + x; a + b + x − 1; t/(α + T + t)), CDNOW's r, a, b and
// heavy buyers (x up to 200) over horizons up to z = 0.99.
const bgNbdArguments = [0, 1, 5, 20, 60, 200].flatMap((x) =>
  [0.05, 0.3, 0.5, 0.8, 0.95, 0.99].map((z) => ({ a: 0.243 + x, b: 2.426 + x, c: 0.793 + 2.426 + x - 1, z })),
);

describe('stdlib hyp2f1 on z in [0, 1) with large a and b', () => {
  it('agrees with the direct series to 1e-12 wherever it is finite', () => {
    let compared = 0;
    for (const { a, b, c, z } of bgNbdArguments) {
      const library = hyp2f1(a, b, c, z);
      const reference = directSeries(a, b, c, z);
      if (!Number.isFinite(reference)) continue;
      compared += 1;
      expect(Math.abs(library / reference - 1), `₂F₁(${a}, ${b}; ${c}; ${z})`).toBeLessThan(1e-12);
    }
    expect(compared).toBeGreaterThan(30);
  });
});

describe('logHyp2f1', () => {
  it('is the logarithm of the direct series', () => {
    for (const { a, b, c, z } of bgNbdArguments) {
      const reference = directSeries(a, b, c, z);
      if (!Number.isFinite(reference)) continue;
      expect(logHyp2f1(a, b, c, z)).toBeCloseTo(Math.log(reference), 10);
    }
  });

  it('is 0 at z = 0', () => {
    expect(logHyp2f1(3, 4, 5, 0)).toBe(0);
  });

  describe('when ₂F₁ is past the double range', () => {
    it('still answers, from the log-space series', () => {
      // (1 − z)^−a alone is 2^1500 here.
      const a = 1500.2;
      expect(Number.isFinite(hyp2f1(a, a + 2.2, a + 2, 0.5))).toBe(false);
      const value = logHyp2f1(a, a + 2.2, a + 2, 0.5);
      expect(Number.isFinite(value)).toBe(true);
      expect(value).toBeGreaterThan(1500 * Math.log(2));
    });
  });

  it('refuses arguments outside a, b, c > 0 and 0 ≤ z < 1', () => {
    expect(() => logHyp2f1(1, 1, 1, 1)).toThrow(HypergeometricDomainError);
    expect(() => logHyp2f1(1, 1, 1, -0.5)).toThrow('z must be in [0, 1)');
    expect(() => logHyp2f1(-1, 1, 1, 0.5)).toThrow('a, b and c must be positive');
  });
});

describe('logHyp2f1Series', () => {
  it('matches stdlib where both are finite, out to z = 0.999', () => {
    for (const [a, b, c, z] of [
      [0.243, 2.426, 2.219, 0.5],
      [0.243, 2.426, 2.219, 0.999],
      [40.2, 42.4, 42.2, 0.9],
      [200.2, 202.4, 202.2, 0.6],
      [1.5, 2, 3, 0.25],
    ] as const) {
      expect(logHyp2f1Series(a, b, c, z)).toBeCloseTo(Math.log(hyp2f1(a, b, c, z)), 10);
    }
  });

  it('matches a closed form: ₂F₁(a, b; b; z) = (1 − z)^−a, also far past 1e308', () => {
    for (const [a, b, z] of [
      [2.5, 3, 0.4],
      [1200, 7, 0.6],
      [3000, 3000, 0.3],
    ] as const) {
      expect(logHyp2f1Series(a, b, b, z) / (-a * Math.log1p(-z))).toBeCloseTo(1, 12);
    }
  });
});

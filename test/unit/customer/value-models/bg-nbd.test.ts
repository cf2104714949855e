import gammaln from '@stdlib/math-base-special-gammaln';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BgNbdParameters,
  bgNbdLogLikelihood,
  conditionalExpectedPurchases,
  expectedRepeatPurchases,
  fitBgNbd,
  probabilityAlive,
} from '../../../../lib/domain/bg-nbd.js';
import { compressSummaries, NoRepeatPurchasesError } from '../../../../lib/domain/repeat-summary.js';
import { cdnowSummaries, HOLDOUT_WEEKS } from './support/cdnow.js';

/** Fader, Hardie and Lee (2005), the CDNOW sample in weeks. */
const published: BgNbdParameters = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

const withinShare = (actual: number, expected: number, share: number): void => {
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThan(share);
};

const customers = cdnowSummaries();
const started = performance.now();
const fit = fitBgNbd(customers);
const fitMilliseconds = performance.now() - started;

describe('fitBgNbd on the CDNOW sample, in weeks as of 1997-09-30', () => {
  it('finds the published parameters, each within 2%', () => {
    expect(fit.converged).toBe(true);
    withinShare(fit.parameters.r, published.r, 0.02);
    withinShare(fit.parameters.alpha, published.alpha, 0.02);
    withinShare(fit.parameters.a, published.a, 0.02);
    withinShare(fit.parameters.b, published.b, 0.02);
  });

  it('reaches the published log-likelihood, −9582.4', () => {
    expect(fit.logLikelihood).toBeCloseTo(-9582.4, 1);
    // The published parameters, rounded to three decimals, lie a hair below the maximum.
    expect(bgNbdLogLikelihood(published, customers)).toBeLessThan(fit.logLikelihood);
    expect(bgNbdLogLikelihood(published, customers)).toBeCloseTo(-9582.4, 1);
  });

  it('gives standard errors that put the published values well inside two of them', () => {
    const errors = fit.standardErrors;
    expect(errors).not.toBeNull();
    for (const name of ['r', 'alpha', 'a', 'b'] as const) {
      const error = errors?.[name] ?? Number.NaN;
      expect(error).toBeGreaterThan(0);
      expect(error).toBeLessThan(fit.parameters[name]);
      expect(Math.abs(fit.parameters[name] - published[name])).toBeLessThan(2 * error);
    }
  });

  it('takes well under a second', () => {
    expect(fitMilliseconds).toBeLessThan(1_000);
  });

  it('answers the same from de-duplicated, weighted summaries', () => {
    const compressed = compressSummaries(customers);
    expect(bgNbdLogLikelihood(fit.parameters, compressed)).toBeCloseTo(fit.logLikelihood, 8);
    const again = fitBgNbd(compressed);
    expect(again.parameters.r).toBeCloseTo(fit.parameters.r, 5);
    expect(again.parameters.b).toBeCloseTo(fit.parameters.b, 4);
  });

  it('is the same model in days: α seven times larger, the rest unchanged', () => {
    const inDays = customers.map((customer) => ({ ...customer, tx: customer.tx * 7, T: customer.T * 7 }));
    const daily = fitBgNbd(inDays);
    expect(daily.converged).toBe(true);
    withinShare(daily.parameters.alpha, fit.parameters.alpha * 7, 0.001);
    withinShare(daily.parameters.r, fit.parameters.r, 0.001);
    withinShare(daily.parameters.a, fit.parameters.a, 0.001);
  });

  describe('the holdout, weeks 40–78 (1997-10-01 to 1998-06-30)', () => {
    it('predicts within 1% of a reference implementation’s 1,653 repeat purchases (1,882 happened)', () => {
      const predicted = customers.reduce(
        (sum, customer) => sum + conditionalExpectedPurchases(fit.parameters, customer, HOLDOUT_WEEKS),
        0,
      );
      withinShare(predicted, 1_653, 0.01);
      const actual = customers.reduce((sum, customer) => sum + (customer.actual ?? 0), 0);
      expect(actual).toBe(1_882);
    });
  });

  it('refuses data without a repeat purchase', () => {
    expect(() => fitBgNbd([{ x: 0, tx: 0, T: 10, count: 5 }])).toThrow(NoRepeatPurchasesError);
  });
});

/**
 * E[X(t)] without ₂F₁: given p, a customer alive makes Poisson(λ) purchases until a geometric
 * dropout, so E[X(t) | λ, p] = (1 − e^(−λpt))/p; averaging over λ ~ Gamma(r, α) gives
 * g(p) = (1 − (α/(α + pt))^r)/p, left to average over p ~ Beta(a, b) by Simpson's rule. With
 * p = v^(4/a), p^(a−1) dp = (4/a) v³ dv, which removes the singularity at p = 0 for a < 1.
 */
const expectedByQuadrature = ({ r, alpha, a, b }: BgNbdParameters, t: number): number => {
  const steps = 20_000;
  const integrand = (v: number): number => {
    if (v === 0) return 0;
    const p = v ** (4 / a);
    const g = p === 0 ? (r * t) / alpha : (1 - (alpha / (alpha + p * t)) ** r) / p;
    return (4 / a) * v ** 3 * g * (1 - p) ** (b - 1);
  };
  let sum = integrand(0) + integrand(1);
  for (let i = 1; i < steps; i += 1) sum += (i % 2 === 1 ? 4 : 2) * integrand(i / steps);
  const logBeta = gammaln(a) + gammaln(b) - gammaln(a + b);
  return (sum / (3 * steps)) * Math.exp(-logBeta);
};

describe('expectedRepeatPurchases', () => {
  it('agrees with a direct integration of the model', () => {
    for (const params of [
      published,
      { r: 1.5, alpha: 20, a: 2.5, b: 4 },
      { r: 0.4, alpha: 30, a: 1.3, b: 1.5 },
    ]) {
      for (const t of [1, 13, 39, 78, 520]) {
        withinShare(expectedRepeatPurchases(params, t), expectedByQuadrature(params, t), 1e-6);
      }
    }
  });

  it('starts at the mean purchase rate r/α', () => {
    expect(expectedRepeatPurchases(published, 1e-4) / 1e-4).toBeCloseTo(published.r / published.alpha, 5);
    expect(expectedRepeatPurchases(published, 0)).toBe(0);
  });

  it('is smooth through a = 1, where its closed form is 0/0', () => {
    const near = (a: number): number => expectedRepeatPurchases({ ...published, a }, 39);
    expect(Number.isFinite(near(1))).toBe(true);
    expect(near(1)).toBeCloseTo((near(1 - 1e-3) + near(1 + 1e-3)) / 2, 5);
  });

  it('refuses a negative horizon', () => {
    expect(() => expectedRepeatPurchases(published, -1)).toThrow('t must be a finite time ≥ 0');
  });
});

const paramsArb = fc.record({
  r: fc.double({ min: 0.05, max: 5, noNaN: true }),
  alpha: fc.double({ min: 0.5, max: 100, noNaN: true }),
  a: fc.double({ min: 0.1, max: 5, noNaN: true }),
  b: fc.double({ min: 0.1, max: 10, noNaN: true }),
});
const historyArb = fc
  .record({
    x: fc.integer({ min: 1, max: 60 }),
    T: fc.double({ min: 0.5, max: 200, noNaN: true }),
    share: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ x, T, share }) => ({ x, T, tx: share * T }));

describe('probabilityAlive', () => {
  it('is between 0 and 1', () => {
    fc.assert(
      fc.property(paramsArb, historyArb, (params, history) => {
        const p = probabilityAlive(params, history);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('is 1 for a customer without repeat purchases, however long ago they bought', () => {
    fc.assert(
      fc.property(paramsArb, fc.double({ min: 0, max: 1e4, noNaN: true }), (params, T) => {
        expect(probabilityAlive(params, { x: 0, tx: 0, T })).toBe(1);
      }),
    );
  });

  it('falls as the last purchase recedes (x and T fixed)', () => {
    fc.assert(
      fc.property(
        paramsArb,
        historyArb,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (params, history, earlier) => {
          const sooner = { ...history, tx: history.tx * earlier };
          expect(probabilityAlive(params, sooner)).toBeLessThanOrEqual(probabilityAlive(params, history));
        },
      ),
    );
  });

  it('is 1/(1 + a/(b + x − 1)) for a customer who bought just now', () => {
    expect(probabilityAlive(published, { x: 3, tx: 20, T: 20 })).toBeCloseTo(
      1 / (1 + published.a / (published.b + 2)),
      14,
    );
  });
});

describe('conditionalExpectedPurchases', () => {
  it('is the unconditional expectation for a customer with no history yet (x = 0, T = 0)', () => {
    for (const t of [1, 10, 52]) {
      expect(conditionalExpectedPurchases(published, { x: 0, tx: 0, T: 0 }, t)).toBeCloseTo(
        expectedRepeatPurchases(published, t),
        12,
      );
    }
  });

  it('grows with the horizon and with recent purchases', () => {
    fc.assert(
      fc.property(
        paramsArb,
        historyArb,
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        (params, history, t) => {
          const soon = conditionalExpectedPurchases(params, history, t);
          expect(soon).toBeGreaterThanOrEqual(0);
          expect(conditionalExpectedPurchases(params, history, t * 2)).toBeGreaterThanOrEqual(soon);
          const lapsed = conditionalExpectedPurchases(params, { ...history, tx: history.tx / 2 }, t);
          expect(lapsed).toBeLessThanOrEqual(soon * (1 + 1e-12));
        },
      ),
    );
  });

  it('stays finite for a daily buyer over three years, where ₂F₁ alone passes 1e308', () => {
    const daily = { r: 0.243, alpha: 4.414 * 7, a: 0.793, b: 2.426 };
    const expected = conditionalExpectedPurchases(daily, { x: 900, tx: 1_000, T: 1_000 }, 1_095);
    expect(Number.isFinite(expected)).toBe(true);
    // Alive and buying about 0.9 days in 1, with few enough purchases per dropout chance to go on.
    expect(expected).toBeGreaterThan(100);
    expect(expected).toBeLessThan(1_095);
  });
});

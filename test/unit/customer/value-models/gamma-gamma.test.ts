import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  conditionalExpectedOrderValue,
  fitGammaGamma,
  type GammaGammaParameters,
  gammaGammaLogLikelihood,
  InfiniteMeanValueError,
  populationMeanOrderValue,
} from '../../../../lib/domain/gamma-gamma.js';
import { NoRepeatPurchasesError } from '../../../../lib/domain/repeat-summary.js';
import { cdnowSummaries } from './support/cdnow.js';

/** Fader, Hardie and Lee (2005, "RFM and CLV"), the CDNOW sample's 946 repeat customers. */
const published: GammaGammaParameters = { p: 6.25, q: 3.74, gamma: 15.44 };

const withinShare = (actual: number, expected: number, share: number): void => {
  expect(Math.abs(actual / expected - 1), `${actual} vs ${expected}`).toBeLessThan(share);
};

const customers = cdnowSummaries();
const started = performance.now();
const fit = fitGammaGamma(customers);
const fitMilliseconds = performance.now() - started;

describe('fitGammaGamma on the CDNOW sample as of 1997-09-30', () => {
  it('is fitted on the 946 repeat customers', () => {
    expect(customers.filter((customer) => customer.x > 0 && customer.meanValue > 0)).toHaveLength(946);
    // One-purchase customers add nothing to the likelihood.
    const repeaters = customers.filter((customer) => customer.x > 0);
    expect(gammaGammaLogLikelihood(fit.parameters, repeaters)).toBeCloseTo(fit.logLikelihood, 8);
  });

  it('finds the published parameters, each within 2%', () => {
    expect(fit.converged).toBe(true);
    withinShare(fit.parameters.p, published.p, 0.02);
    withinShare(fit.parameters.q, published.q, 0.02);
    withinShare(fit.parameters.gamma, published.gamma, 0.02);
    expect(gammaGammaLogLikelihood(published, customers)).toBeLessThan(fit.logLikelihood);
  });

  it('gives positive standard errors', () => {
    for (const name of ['p', 'q', 'gamma'] as const) {
      expect(fit.standardErrors?.[name]).toBeGreaterThan(0);
    }
  });

  it('takes well under a second', () => {
    expect(fitMilliseconds).toBeLessThan(1_000);
  });

  it('scales with the money: values in cents give γ × 100 and the same p and q', () => {
    const inCents = fitGammaGamma(
      customers.map((customer) => ({ ...customer, meanValue: customer.meanValue * 100 })),
    );
    withinShare(inCents.parameters.gamma, fit.parameters.gamma * 100, 1e-3);
    withinShare(inCents.parameters.p, fit.parameters.p, 1e-3);
    withinShare(inCents.parameters.q, fit.parameters.q, 1e-3);
  });

  it('leaves out repeat purchases worth nothing', () => {
    const withFreebies = [...customers, { x: 3, tx: 5, T: 20, meanValue: 0, count: 40 }];
    expect(gammaGammaLogLikelihood(fit.parameters, withFreebies)).toBeCloseTo(fit.logLikelihood, 8);
  });

  it('refuses data without a valued repeat customer', () => {
    expect(() => fitGammaGamma([{ x: 0, meanValue: 0, count: 3 }])).toThrow(NoRepeatPurchasesError);
  });
});

describe('conditionalExpectedOrderValue', () => {
  it('is the population mean p·γ/(q − 1) for a customer without repeat purchases', () => {
    expect(conditionalExpectedOrderValue(published, { x: 0, meanValue: 0 })).toBeCloseTo(
      (6.25 * 15.44) / 2.74,
      12,
    );
  });

  it('lies between the population mean and the customer’s own, nearer their own the more they bought', () => {
    const valueArb = fc.double({ min: 0.01, max: 1_000, noNaN: true });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), valueArb, (x, meanValue) => {
        const population = populationMeanOrderValue(published);
        const expected = conditionalExpectedOrderValue(published, { x, meanValue });
        const tolerance = 1e-9 * Math.max(population, meanValue);
        expect(expected).toBeGreaterThanOrEqual(Math.min(population, meanValue) - tolerance);
        expect(expected).toBeLessThanOrEqual(Math.max(population, meanValue) + tolerance);
        const more = conditionalExpectedOrderValue(published, { x: x + 1, meanValue });
        expect(Math.abs(more - meanValue)).toBeLessThanOrEqual(Math.abs(expected - meanValue) + tolerance);
      }),
    );
  });

  describe('when q ≤ 1 (the population mean is infinite)', () => {
    it('throws InfiniteMeanValueError for a customer without repeat purchases', () => {
      expect(() =>
        conditionalExpectedOrderValue({ p: 2, q: 0.8, gamma: 10 }, { x: 0, meanValue: 0 }),
      ).toThrow(InfiniteMeanValueError);
    });

    it('still values a repeat customer while px + q > 1', () => {
      expect(conditionalExpectedOrderValue({ p: 2, q: 0.8, gamma: 10 }, { x: 2, meanValue: 30 })).toBeCloseTo(
        (2 * (10 + 60)) / (4 + 0.8 - 1),
        12,
      );
    });
  });
});

import { describe, expect, it } from 'vitest';
import { conditionalExpectedPurchases } from '../../../../lib/domain/bg-nbd.js';
import { conditionalExpectedOrderValue } from '../../../../lib/domain/gamma-gamma.js';
import { compressSummaries, type RepeatSummary } from '../../../../lib/domain/repeat-summary.js';
import {
  fittedCustomerValue,
  fitValueModels,
  MIN_REPEAT_CUSTOMERS,
  type ValueModelFit,
  ValueModelFit as ValueModelFitSchema,
} from '../../../../lib/domain/value-model.js';
import { cdnowSummaries } from './support/cdnow.js';

const NOW = new Date('1997-10-01T00:00:00.000Z');
const customers = cdnowSummaries();

const fitted = (): ValueModelFit => {
  const outcome = fitValueModels(compressSummaries(customers), { unit: 'week', now: NOW });
  if (outcome.status !== 'fitted') throw new Error(`expected a fit, got ${outcome.status}`);
  return outcome.fit;
};
const fit = fitted();

describe('fitValueModels', () => {
  it('fits both models to the CDNOW sample and says what it was fitted on', () => {
    expect(fit).toMatchObject({
      fittedAt: '1997-10-01T00:00:00.000Z',
      unit: 'week',
      customers: 2_357,
      repeatCustomers: 946,
    });
    expect(fit.bgnbd.converged).toBe(true);
    expect(fit.gammaGamma.converged).toBe(true);
    expect(fit.bgnbd.parameters.r).toBeCloseTo(0.243, 2);
    expect(fit.gammaGamma.parameters.q).toBeCloseTo(3.74, 1);
  });

  it('gives a fit that survives storage as JSON', () => {
    expect(ValueModelFitSchema.parse(JSON.parse(JSON.stringify(fit)))).toEqual(fit);
  });

  describe('when there are fewer than 200 repeat customers', () => {
    it('answers too-few, with how many there are and how many it needs', () => {
      const repeaters = customers.filter((customer) => customer.x > 0).slice(0, MIN_REPEAT_CUSTOMERS - 1);
      const once = customers.filter((customer) => customer.x === 0);
      expect(fitValueModels([...repeaters, ...once], { unit: 'week', now: NOW })).toEqual({
        status: 'too-few',
        repeatCustomers: 199,
        valuedRepeatCustomers: 199,
        needed: 200,
      });
    });

    it('counts repeat customers by their summary counts', () => {
      const summary: RepeatSummary = { x: 2, tx: 5, T: 30, meanValue: 20, count: 150 };
      expect(
        fitValueModels([summary, { ...summary, tx: 6, count: 49 }], { unit: 'day', now: NOW }),
      ).toMatchObject({
        status: 'too-few',
        repeatCustomers: 199,
      });
    });

    it('counts only repeat customers with a positive value towards Gamma-Gamma', () => {
      const freebies = customers.map((customer) =>
        customer.x > 0 ? { ...customer, meanValue: 0 } : customer,
      );
      expect(fitValueModels(freebies, { unit: 'week', now: NOW })).toEqual({
        status: 'too-few',
        repeatCustomers: 946,
        valuedRepeatCustomers: 0,
        needed: 200,
      });
    });

    it('takes a lower minimum when told', () => {
      const repeaters = customers.filter((customer) => customer.x > 0).slice(0, 150);
      const outcome = fitValueModels([...repeaters, ...customers.filter((customer) => customer.x === 0)], {
        unit: 'week',
        now: NOW,
        minRepeatCustomers: 100,
      });
      expect(outcome.status).toBe('fitted');
      expect(outcome.status === 'fitted' && outcome.fit.repeatCustomers).toBe(150);
    });
  });
});

describe('fitValueModels, when a fit cannot be used', () => {
  it('answers not-converged, saying which fit hit its cap, so the caller keeps the heuristic', () => {
    const outcome = fitValueModels(customers, { unit: 'week', now: NOW, maxIterations: 20 });
    expect(outcome.status).toBe('not-converged');
    expect(outcome.status === 'not-converged' && outcome.detail).toBe(
      'BG/NBD did not converge in 40 iterations; Gamma-Gamma did not converge in 40 iterations',
    );
  });

  it('answers unusable when order values are so spread that their mean is infinite (q ≤ 1)', () => {
    // The repeat customers' mean values spread evenly over eight orders of magnitude.
    let repeater = 0;
    const spread = customers.map((customer) =>
      customer.x > 0 ? { ...customer, meanValue: 10 ** ((8 * (repeater++ % 97)) / 97) } : customer,
    );
    const outcome = fitValueModels(spread, { unit: 'week', now: NOW });
    expect(outcome.status).toBe('unusable');
    expect(outcome.status === 'unusable' && outcome.gammaGamma.parameters.q).toBeLessThanOrEqual(1);
  });
});

describe('fittedCustomerValue', () => {
  const options = { horizonDays: 365.25, annualDiscountRate: 0.1 };
  // ID 6 of the sample: 7 repeat purchases, the last 29.43 weeks after the first, 38.86 weeks old.
  const loyal = { x: 7, tx: 29.43, T: 38.86, meanValue: 73.74 };
  const once = { x: 0, tx: 0, T: 38.86, meanValue: 0 };

  it('gives the chance of being alive, the purchases expected over 90 and 365 days and the order value', () => {
    const value = fittedCustomerValue(fit, loyal, options);
    const params = fit.bgnbd.parameters;
    expect(value.pAlive).toBeGreaterThan(0);
    expect(value.pAlive).toBeLessThan(1);
    expect(value.expectedPurchases90).toBeCloseTo(conditionalExpectedPurchases(params, loyal, 90 / 7), 12);
    expect(value.expectedPurchases365).toBeCloseTo(conditionalExpectedPurchases(params, loyal, 365 / 7), 12);
    expect(value.expectedOrderValue).toBeCloseTo(
      conditionalExpectedOrderValue(fit.gammaGamma.parameters, loyal),
      12,
    );
  });

  it('sums the purchases expected month by month, valued and discounted to today', () => {
    const value = fittedCustomerValue(fit, loyal, options);
    const params = fit.bgnbd.parameters;
    const weeksIn = (months: number): number => (months * 365.25) / 12 / 7;
    let expected = 0;
    for (let m = 1; m <= 12; m += 1) {
      const purchases =
        conditionalExpectedPurchases(params, loyal, weeksIn(m)) -
        conditionalExpectedPurchases(params, loyal, weeksIn(m - 1));
      expected += (purchases * value.expectedOrderValue) / 1.1 ** (m / 12);
    }
    expect(value.clv).toBeCloseTo(expected, 9);
  });

  it('is expected purchases × order value when money is not discounted', () => {
    const value = fittedCustomerValue(fit, loyal, { horizonDays: 1_000, annualDiscountRate: 0 });
    const purchases = conditionalExpectedPurchases(fit.bgnbd.parameters, loyal, 1_000 / 7);
    expect(value.clv).toBeCloseTo(purchases * value.expectedOrderValue, 9);
  });

  it('values a loyal customer above a one-purchase customer, and discounts the future', () => {
    const loyalValue = fittedCustomerValue(fit, loyal, options);
    const onceValue = fittedCustomerValue(fit, once, options);
    expect(onceValue.pAlive).toBe(1);
    expect(loyalValue.clv).toBeGreaterThan(onceValue.clv);
    const undiscounted = fittedCustomerValue(fit, loyal, { ...options, annualDiscountRate: 0 });
    expect(undiscounted.clv).toBeGreaterThan(loyalValue.clv);
  });

  it('reads summaries in the fit’s unit: the same customer in days gets the same value from a daily fit', () => {
    const daily = fitValueModels(
      customers.map((customer) => ({ ...customer, tx: customer.tx * 7, T: customer.T * 7 })),
      { unit: 'day', now: NOW },
    );
    if (daily.status !== 'fitted') throw new Error(`expected a fit, got ${daily.status}`);
    const inDays = fittedCustomerValue(daily.fit, { ...loyal, tx: loyal.tx * 7, T: loyal.T * 7 }, options);
    const inWeeks = fittedCustomerValue(fit, loyal, options);
    expect(inDays.expectedPurchases365 / inWeeks.expectedPurchases365).toBeCloseTo(1, 3);
    expect(inDays.clv / inWeeks.clv).toBeCloseTo(1, 3);
  });

  it('refuses a horizon that is not positive, naming it', () => {
    expect(() => fittedCustomerValue(fit, loyal, { horizonDays: 0, annualDiscountRate: 0.1 })).toThrow(
      /horizonDays/,
    );
  });
});

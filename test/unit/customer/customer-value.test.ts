import { describe, expect, it } from 'vitest';
import { conditionalExpectedPurchases, probabilityAlive } from '../../../lib/domain/bg-nbd.js';
import {
  churnRisk,
  DEFAULT_INTERVAL_DAYS,
  predictedClv,
  type RfmBaseCustomer,
  RfmThresholds,
  refreshCustomerValue,
  rfmThresholds,
  scoreRfm,
  valueTier,
} from '../../../lib/domain/customer-value.js';
import { conditionalExpectedOrderValue } from '../../../lib/domain/gamma-gamma.js';
import type { ValueModelFit } from '../../../lib/domain/value-model.js';
import { aCard, daysAgo, NOW } from './support/customers.js';

const customer = (lastDaysAgo: number, orders: number, revenue: number, firstDaysAgo = lastDaysAgo) => ({
  orders,
  revenue,
  averageOrderValue: Math.round(revenue / orders),
  lastPurchaseAt: daysAgo(lastDaysAgo),
  firstPurchaseAt: daysAgo(firstDaysAgo),
});

/**
 * Ten customers, worked by hand. With n = 10, cut k is the value at rank
 * ⌈k·10/5⌉ = 2, 4, 6, 8 (1-based) from worst to best:
 *   recency days, worst first: 200 120 90 60 40 20 10 5 3 1 → cuts 120, 60, 20, 5
 *   orders:                    1 1 1 1 1 1 2 2 3 6          → cuts 1, 1, 1, 2
 *   revenue:                   10 20 30 40 50 60 80 100 150 500 → cuts 20, 40, 60, 100
 * Repeat customers' intervals: (160−60)/1 = 100, (150−90)/1 = 60,
 * (320−120)/2 = 100, (450−200)/5 = 50 → median (60 + 100) / 2 = 80.
 */
const base = [
  customer(1, 1, 10),
  customer(3, 1, 20),
  customer(5, 1, 30),
  customer(10, 1, 40),
  customer(20, 1, 50),
  customer(40, 1, 60),
  customer(60, 2, 80, 160),
  customer(90, 2, 100, 150),
  customer(120, 3, 150, 320),
  customer(200, 6, 500, 450),
];
const thresholds = rfmThresholds(base, NOW);
const segmentOf = (card: RfmBaseCustomer) => scoreRfm(card, thresholds, NOW).segment;

describe('RFM thresholds', () => {
  it('cut the base at its quintiles, recency counted in days and best when fewest', () => {
    expect(thresholds).toEqual({
      computedAt: NOW.toISOString(),
      customers: 10,
      quintiles: { recencyDays: [120, 60, 20, 5], frequency: [1, 1, 1, 2], monetary: [20, 40, 60, 100] },
      medianIntervalDays: 80,
    });
    expect(RfmThresholds.safeParse(thresholds).success).toBe(true);
  });

  it('leave out contacts that have not bought', () => {
    expect(rfmThresholds([...base, { orders: 0, revenue: 0 }], NOW)).toEqual(thresholds);
  });

  it('have no quintiles for fewer than five customers, and a quarter as the interval with no repeat buyer', () => {
    const small = rfmThresholds(base.slice(0, 4), NOW);

    expect(small.quintiles).toBeUndefined();
    expect(small.medianIntervalDays).toBe(DEFAULT_INTERVAL_DAYS);
  });
});

describe('RFM scores', () => {
  it('score each axis by how many fifths of the base the customer strictly beats', () => {
    expect(segmentOf(customer(1, 1, 10))).toBe('511');
    expect(segmentOf(customer(10, 1, 40))).toBe('412');
    expect(segmentOf(customer(60, 2, 80, 160))).toBe('244');
    expect(segmentOf(customer(200, 6, 500, 450))).toBe('155');
  });

  it('give equal values equal scores: both two-order customers score 4, no one-order customer scores above 1', () => {
    expect(scoreRfm(customer(60, 2, 80), thresholds, NOW).frequency).toBe(4);
    expect(scoreRfm(customer(90, 2, 100), thresholds, NOW).frequency).toBe(4);
    expect(scoreRfm(customer(1, 1, 10), thresholds, NOW).frequency).toBe(1);
  });

  it('score a new purchase against the stored thresholds', () => {
    // Bought today (0 < 5 days), once, for 120 (> 100, the top cut).
    expect(scoreRfm(customer(0, 1, 120), thresholds, NOW)).toEqual({
      recency: 5,
      frequency: 1,
      monetary: 5,
      segment: '515',
      scoredAt: NOW.toISOString(),
    });
  });

  it('score everyone 3 while the base is too small for quintiles', () => {
    const small = rfmThresholds(base.slice(0, 3), NOW);

    expect(scoreRfm(customer(200, 6, 500), small, NOW).segment).toBe('333');
  });

  it('score a card without purchases 1 on every axis', () => {
    expect(scoreRfm(aCard(), thresholds, NOW).segment).toBe('111');
  });
});

describe('churn risk', () => {
  it('divides the days since the last order by the customer’s usual interval', () => {
    // (160 − 60) / (2 − 1) = 100 days between orders; 60 days since the last.
    expect(churnRisk(customer(60, 2, 80, 160), NOW, 80)).toBe(0.6);
  });

  it('uses the base’s median interval for a one-order customer', () => {
    // 45 / 80 = 0.5625.
    expect(churnRisk(customer(45, 1, 30), NOW, 80)).toBe(0.56);
  });

  it('treats orders placed within a day of each other as one for the interval', () => {
    expect(churnRisk({ ...customer(40, 3, 90), firstPurchaseAt: daysAgo(40.1) }, NOW, 80)).toBe(0.5);
  });

  it('is undefined for a card without purchases', () => {
    expect(churnRisk(aCard(), NOW, 80)).toBeUndefined();
  });
});

describe('value tiers', () => {
  it('call a customer lapsed past twice their interval, even a top spender', () => {
    // 200 days since the last order, usual interval 50: risk 4.
    expect(valueTier(customer(200, 6, 500, 450), thresholds, NOW)).toBe('lapsed');
    // One order 170 days ago against the median 80: 2.13.
    expect(valueTier(customer(170, 1, 30), thresholds, NOW)).toBe('lapsed');
  });

  it('do not call exactly twice the interval lapsed', () => {
    // 160 / 80 = 2, and 160 days is past the 90 days of "new".
    expect(valueTier(customer(160, 1, 30), thresholds, NOW)).toBe('regular');
  });

  it('call an active top-fifth spender vip', () => {
    // 200 > 100, the top monetary cut; interval 90 / 2 = 45 days, 10 days since: risk 0.22.
    expect(valueTier(customer(10, 3, 200, 100), thresholds, NOW)).toBe('vip');
  });

  it('call a one-order customer new for 90 days and regular after', () => {
    expect(valueTier(customer(20, 1, 30), thresholds, NOW)).toBe('new');
    expect(valueTier(customer(90, 1, 30), thresholds, NOW)).toBe('new');
    expect(valueTier(customer(91, 1, 30), thresholds, NOW)).toBe('regular');
  });

  it('call a repeat customer below the top fifth regular', () => {
    expect(valueTier(customer(30, 2, 80, 130), thresholds, NOW)).toBe('regular');
  });
});

describe('predicted CLV, in minor units like the revenue it comes from', () => {
  // Four orders 73 days apart (219 / 3): 365 / 73 = 5 purchases a year; AOV 200.00 / 4 = 50.00.
  const steady = customer(30, 4, 20_000, 249);

  it('is AOV × purchases a year × expected active years while the customer is not overdue', () => {
    // Default model: 3 years, retention 0.5 → 1 + 0.5 + 0.25 = 1.75 active years. 50 × 5 × 1.75.
    expect(predictedClv(steady, NOW, 80)).toBe(43_750);
  });

  it('is discounted by the inverse of the churn risk once the customer is overdue', () => {
    // 146 days since the last order, 73-day interval: risk 2, so half of 437.50.
    expect(predictedClv(customer(146, 4, 20_000, 365), NOW, 80)).toBe(21_875);
  });

  it('uses the base’s median interval for a one-order customer', () => {
    // 40.00 × (365 / 80) × 1.75 = 319.375, rounded once to a cent; 40 days since, risk 0.5.
    expect(predictedClv(customer(40, 1, 4_000), NOW, 80)).toBe(31_938);
  });

  it('takes the horizon and retention as parameters', () => {
    expect(
      predictedClv(steady, NOW, 80, { horizonYears: 1, annualRetention: 0.9, annualDiscountRate: 0.1 }),
    ).toBe(25_000);
    expect(
      predictedClv(steady, NOW, 80, { horizonYears: 2, annualRetention: 1, annualDiscountRate: 0.1 }),
    ).toBe(50_000);
  });

  it('is zero for a card without purchases', () => {
    expect(predictedClv(aCard(), NOW, 80)).toBe(0);
  });
});

describe('refreshing a card', () => {
  it('fills rfm, tier, the heuristic’s CLV, expected purchases and order value, and churn risk from the thresholds', () => {
    const card = aCard({ ...customer(30, 4, 20_000, 249), averageOrderValue: 5000 });

    // 30 days: < 120, 60 → R3; 4 orders > 1, 1, 1, 2 → F5; 20 000 cents > 100 → M5.
    expect(refreshCustomerValue(card, thresholds, NOW)).toEqual({
      ...card,
      rfm: { recency: 3, frequency: 5, monetary: 5, segment: '355', scoredAt: NOW.toISOString() },
      tier: 'vip',
      predictedClv: 43_750,
      churnRisk: 0.41,
      valueModel: 'heuristic',
      // (249 − 30) / 3 = 73 days between orders: 5 a year, not overdue; 90 days is 5 × 90/365.
      expectedPurchases90: 1.233,
      expectedPurchases365: 5,
      expectedOrderValue: 5000,
      // Without a fit, the value score is the monetary score.
      valueScore: 5,
    });
  });

  it('drops a stale churn risk from a card that no longer has purchases to measure', () => {
    const refreshed = refreshCustomerValue(aCard({ churnRisk: 3, tier: 'lapsed' }), thresholds, NOW);

    expect(refreshed).not.toHaveProperty('churnRisk');
    expect(refreshed.tier).toBe('new');
  });
});

describe('refreshing a card once the models are fitted', () => {
  // The CDNOW estimates, in weeks (docs/customer-value.md).
  const fit: ValueModelFit = {
    fittedAt: NOW.toISOString(),
    unit: 'week',
    customers: 2357,
    repeatCustomers: 946,
    bgnbd: {
      parameters: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
      standardErrors: null,
      logLikelihood: -9582.4,
      converged: true,
      iterations: 400,
    },
    gammaGamma: {
      parameters: { p: 6.25, q: 3.74, gamma: 15.44 },
      standardErrors: null,
      logLikelihood: -4055.9,
      converged: true,
      iterations: 200,
    },
  };
  const fitted: RfmThresholds = {
    ...thresholds,
    valueModel: { status: 'fitted', fit, clvCuts: [1_000, 2_000, 3_000, 4_000] },
  };
  // First purchase 273 days ago (39 weeks), two repeat days, the last 63 days ago (30 weeks after the first).
  const card = aCard({
    orders: 3,
    purchaseDays: 3,
    revenue: 9_000,
    firstDayRevenue: 3_000,
    averageOrderValue: 3_000,
    firstPurchaseAt: daysAgo(273),
    lastPurchaseAt: daysAgo(63),
  });

  it('scores with BG/NBD and Gamma-Gamma, its times read in the fit’s unit', () => {
    const refreshed = refreshCustomerValue(card, fitted, NOW);
    const history = { x: 2, tx: 30, T: 39 };
    expect(refreshed.valueModel).toBe('bg-nbd/gamma-gamma');
    expect(refreshed.pAlive).toBeCloseTo(probabilityAlive(fit.bgnbd.parameters, history), 4);
    expect(refreshed.expectedPurchases365).toBeCloseTo(
      conditionalExpectedPurchases(fit.bgnbd.parameters, history, 365 / 7),
      3,
    );
    // Repeat revenue 6,000 over 2 days: a mean of 3,000 cents, pulled toward the base's mean.
    expect(refreshed.expectedOrderValue).toBe(
      Math.round(conditionalExpectedOrderValue(fit.gammaGamma.parameters, { x: 2, meanValue: 3_000 })),
    );
    expect(refreshed.predictedClv).toBeGreaterThan(0);
  });

  it('scores the value by the fitted CLV’s quintile, and the top fifth is vip', () => {
    const refreshed = refreshCustomerValue(card, fitted, NOW);
    const clv = refreshed.predictedClv ?? 0;
    const expected = 1 + [1_000, 2_000, 3_000, 4_000].filter((cut) => clv > cut).length;
    expect(refreshed.valueScore).toBe(expected);
    const top = refreshCustomerValue(
      card,
      { ...fitted, valueModel: { status: 'fitted', fit, clvCuts: [1, 2, 3, 4] } },
      NOW,
    );
    expect(top.valueScore).toBe(5);
    expect(top.tier).toBe('vip');
    const bottom = refreshCustomerValue(
      card,
      { ...fitted, valueModel: { status: 'fitted', fit, clvCuts: [1e9, 2e9, 3e9, 4e9] } },
      NOW,
    );
    expect(bottom.valueScore).toBe(1);
    expect(bottom.tier).not.toBe('vip');
  });

  it('drops pAlive when the base falls back to the heuristic', () => {
    const refreshed = refreshCustomerValue(refreshCustomerValue(card, fitted, NOW), thresholds, NOW);
    expect(refreshed.valueModel).toBe('heuristic');
    expect(refreshed).not.toHaveProperty('pAlive');
  });
});

import { describe, expect, it } from 'vitest';
import {
  attributePurchase,
  type Click,
  journeyReport,
  newcombeInterval,
  normalQuantile,
  orderSource,
  withMessage,
} from '../../../lib/domain/attribution.js';
import { anOrder } from './support/customers.js';

const order = anOrder({ orderId: 'o1', at: '2026-03-10T12:00:00.000Z', revenue: 40, lines: [] });
const acquisition = { form: 'newsletter', utm: { source: 'instagram' }, at: '2026-01-02T08:00:00.000Z' };
const click = (messageId: string, clickedAt: string, journeyId?: string): Click => ({
  messageId,
  clickedAt,
  ...(journeyId === undefined ? {} : { journeyId }),
});

describe('purchase attribution', () => {
  it('credits the last click before the order within the window, and always the acquisition source', () => {
    const clicks = [
      click('m1', '2026-03-01T12:00:00.000Z'),
      click('m3', '2026-03-09T08:00:00.000Z', 'welcome'),
      click('m2', '2026-03-05T12:00:00.000Z'),
      click('m4', '2026-03-10T13:00:00.000Z'),
    ];

    expect(attributePurchase(order, clicks, acquisition, 7)).toEqual({
      orderId: 'o1',
      lastClick: { messageId: 'm3', journeyId: 'welcome', clickedAt: '2026-03-09T08:00:00.000Z' },
      acquisition,
      windowDays: 7,
    });
  });

  it('counts a click exactly a window before the order, and not one a millisecond earlier', () => {
    expect(
      attributePurchase(order, [click('m1', '2026-03-03T12:00:00.000Z')], acquisition, 7).lastClick
        ?.messageId,
    ).toBe('m1');
    expect(
      attributePurchase(order, [click('m1', '2026-03-03T11:59:59.999Z')], acquisition, 7).lastClick,
    ).toBeUndefined();
  });

  it('gives a tie to the later message, whatever order the clicks come in', () => {
    const at = '2026-03-09T08:00:00.000Z';
    const tied = [click('01J00000000000000000000002', at), click('01J00000000000000000000001', at)];

    expect(attributePurchase(order, tied, acquisition).lastClick?.messageId).toBe(
      '01J00000000000000000000002',
    );
    expect(attributePurchase(order, tied.toReversed(), acquisition).lastClick?.messageId).toBe(
      '01J00000000000000000000002',
    );
  });

  it('credits only the acquisition source when no click is in the window', () => {
    expect(attributePurchase(order, [], acquisition)).toEqual({ orderId: 'o1', acquisition, windowDays: 7 });
  });
});

describe('what an order keeps of its attribution', () => {
  const clicked = click('welcome#e1#hello#1', '2026-03-09T08:00:00.000Z', 'welcome');

  it('keeps the last click with its message’s node and template, and the acquisition', () => {
    const message = { journeyId: 'welcome', nodeId: 'hello', templateId: 'welcome-mail' };
    const attribution = {
      ...attributePurchase(order, [clicked], acquisition, 7),
      lastClick: withMessage(clicked, message),
    };
    expect(orderSource(attribution)).toEqual({
      messageId: 'welcome#e1#hello#1',
      journeyId: 'welcome',
      nodeId: 'hello',
      templateId: 'welcome-mail',
      clickedAt: '2026-03-09T08:00:00.000Z',
      acquisition,
    });
  });

  it('keeps the acquisition alone when no click led to the order', () => {
    expect(orderSource(attributePurchase(order, [], acquisition, 7))).toEqual({ acquisition });
  });

  it('keeps the click as tagged when its message is gone (an erased or expired one)', () => {
    expect(withMessage(clicked, undefined)).toEqual(clicked);
  });
});

describe('the normal quantile', () => {
  it('matches the textbook values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 14);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489004, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
  });

  it('refuses a probability outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});

describe('Newcombe’s hybrid score interval', () => {
  // The worked examples of Newcombe (1998), "Interval estimation for the difference between
  // independent proportions", Statistics in Medicine 17, Table II, method 10.
  it.each([
    [56, 70, 48, 80, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.1705, 0.809],
    [6, 7, 2, 7, 0.0582, 0.8062],
    [5, 56, 0, 29, -0.0381, 0.1926],
    [0, 10, 0, 20, -0.1611, 0.2775],
    [10, 10, 0, 20, 0.6791, 1],
  ])('reproduces %i/%i − %i/%i = (%f, %f)', (x1, n1, x2, n2, lower, upper) => {
    const interval = newcombeInterval({ successes: x1, trials: n1 }, { successes: x2, trials: n2 }, 0.95);

    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });
});

describe('the journey report', () => {
  it('reports rates, lift with its interval and revenue per member (the worked example in docs/customer-value.md)', () => {
    const report = journeyReport({
      treatment: { members: 1000, conversions: 60, revenue: 4200 },
      control: { members: 1000, conversions: 40, revenue: 2600 },
    });

    expect(report.treatment).toEqual({
      members: 1000,
      conversions: 60,
      revenue: 4200,
      conversionRate: 0.06,
      revenuePerMember: 4.2,
    });
    expect(report.control.conversionRate).toBe(0.04);
    expect(report.lift.absolute).toBeCloseTo(0.02, 12);
    expect(report.lift.relative).toBeCloseTo(0.5, 12);
    expect(report.lift.interval?.lower).toBeCloseTo(0.000817, 6);
    expect(report.lift.interval?.upper).toBeCloseTo(0.039527, 6);
    expect(report.lift.significant).toBe(true);
    expect(report.revenuePerMemberDifference).toBeCloseTo(1.6, 12);
  });

  it('widens the interval with the confidence', () => {
    const groups = {
      treatment: { members: 1000, conversions: 60, revenue: 0 },
      control: { members: 1000, conversions: 40, revenue: 0 },
    };
    const at99 = journeyReport(groups, 0.99);

    expect(at99.lift.interval?.lower).toBeLessThan(0);
    expect(at99.lift.significant).toBe(false);
  });

  it('reports a lift without a relative figure when the control group never converted', () => {
    const report = journeyReport({
      treatment: { members: 50, conversions: 5, revenue: 250 },
      control: { members: 50, conversions: 0, revenue: 0 },
    });

    expect(report.lift.absolute).toBe(0.1);
    expect(report.lift.relative).toBeNull();
    expect(report.lift.interval?.lower).toBeGreaterThan(0);
  });

  it('reports nulls, not NaN, for an empty group', () => {
    const report = journeyReport({
      treatment: { members: 20, conversions: 0, revenue: 0 },
      control: { members: 0, conversions: 0, revenue: 0 },
    });

    expect(report.treatment.conversionRate).toBe(0);
    expect(report.control).toMatchObject({ conversionRate: null, revenuePerMember: null });
    expect(report.lift).toEqual({ absolute: null, relative: null, interval: null, significant: false });
    expect(report.revenuePerMemberDifference).toBeNull();
    expect(JSON.stringify(report)).not.toContain('NaN');
  });

  it('refuses more conversions than members', () => {
    expect(() =>
      journeyReport({
        treatment: { members: 2, conversions: 3, revenue: 0 },
        control: { members: 2, conversions: 0, revenue: 0 },
      }),
    ).toThrow(/cannot exceed members/);
  });
});

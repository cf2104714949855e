import { describe, expect, it } from 'vitest';
import {
  InvalidSurvivalDataError,
  kaplanMeier,
  type SurvivalObservation,
  survivalQuantile,
} from '../../../../lib/domain/kaplan-meier.js';

/**
 * The 6-MP arm of Freireich et al. (1963), weeks in remission; the textbook
 * example of the estimate (Kleinbaum & Klein, Survival Analysis, ch. 2).
 */
const events = [6, 6, 6, 7, 10, 13, 16, 22, 23];
const censored = [6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
const sixMp: SurvivalObservation[] = [
  ...events.map((duration) => ({ duration, observed: true })),
  ...censored.map((duration) => ({ duration, observed: false })),
];

describe('the Kaplan–Meier estimate', () => {
  it('reproduces the textbook table of the 6-MP remission data', () => {
    const curve = kaplanMeier(sixMp);

    expect(curve.map((step) => [step.duration, step.atRisk, step.events])).toEqual([
      [6, 21, 3],
      [7, 17, 1],
      [10, 15, 1],
      [13, 12, 1],
      [16, 11, 1],
      [22, 7, 1],
      [23, 6, 1],
    ]);
    expect(curve.map((step) => Number(step.survival.toFixed(4)))).toEqual([
      0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482,
    ]);
  });

  it('reads the median and the first quartile off the steps, and has no third quartile when survival stays above 25 %', () => {
    const curve = kaplanMeier(sixMp);

    expect(survivalQuantile(curve, 0.5)).toBe(23);
    // 0.7529 at 10 weeks is still above 0.75; 0.6902 at 13 is the first at or below it.
    expect(survivalQuantile(curve, 0.25)).toBe(13);
    expect(survivalQuantile(curve, 0.75)).toBeUndefined();
  });

  it('counts a weighted observation as that many identical ones', () => {
    const weighted = kaplanMeier([
      { duration: 5, observed: true, weight: 3 },
      { duration: 8, observed: false, weight: 2 },
      { duration: 9, observed: true },
    ]);
    const repeated = kaplanMeier([
      ...Array.from({ length: 3 }, () => ({ duration: 5, observed: true })),
      ...Array.from({ length: 2 }, () => ({ duration: 8, observed: false })),
      { duration: 9, observed: true },
    ]);

    expect(weighted).toEqual(repeated);
    expect(weighted.map((step) => step.survival)).toEqual([0.5, 0]);
  });

  it('lands on a step whose survival is exactly the quantile’s, despite rounding in the product', () => {
    // 24 intervals, one ending each day: after 12, survival is 23/24 × 22/23 × … × 12/13 = 1/2 exactly,
    // which the floating-point product gives as 0.5000000000000001. The median is day 12, not 13.
    const curve = kaplanMeier(
      Array.from({ length: 24 }, (_, day) => ({ duration: day + 1, observed: true })),
    );

    expect(curve[11]?.survival).toBeGreaterThan(0.5);
    expect(survivalQuantile(curve, 0.5)).toBe(12);
  });

  describe('when every observation is censored', () => {
    it('stays at 1 and has no median', () => {
      const curve = kaplanMeier([3, 5, 8].map((duration) => ({ duration, observed: false })));

      expect(curve).toEqual([]);
      expect(survivalQuantile(curve, 0.5)).toBeUndefined();
    });
  });

  it('refuses a negative duration, a weight of zero and a quantile outside (0, 1), naming what is wrong', () => {
    expect(() =>
      kaplanMeier([
        { duration: 1, observed: true },
        { duration: -1, observed: true },
      ]),
    ).toThrow(
      new InvalidSurvivalDataError('observations[1].duration must be a finite number at least 0; got -1'),
    );
    expect(() => kaplanMeier([{ duration: 1, observed: true, weight: 0 }])).toThrow(
      'observations[0].weight must be a finite number above 0; got 0',
    );
    expect(() => survivalQuantile([], 1)).toThrow(InvalidSurvivalDataError);
  });
});

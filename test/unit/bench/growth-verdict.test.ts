import { describe, expect, it } from 'vitest';
import { assertFlat, GrowthError, growthLimit, judgeGrowth } from '../../../scripts/bench/growth-verdict.js';

describe('the growth verdict', () => {
  it('calls a per-unit cost flat while the largest size costs at most 1.5× the smallest per unit', () => {
    const verdicts = judgeGrowth([
      { name: 'falls', perUnit: [2, 1.5, 1.2] },
      { name: 'at the limit', perUnit: [1, 1.2, growthLimit] },
    ]);
    expect(verdicts.map((verdict) => verdict.flat)).toEqual([true, true]);
    expect(() => assertFlat(verdicts)).not.toThrow();
  });

  it('fails naming each series that grows faster than linear beyond the limit', () => {
    const verdicts = judgeGrowth([
      { name: 'write units per timer', perUnit: [2, 2, 2.01] },
      { name: 'time per order', perUnit: [1, 1.4, 1.6] },
    ]);
    expect(verdicts.map((verdict) => verdict.flat)).toEqual([true, false]);
    expect(() => assertFlat(verdicts)).toThrow(GrowthError);
    expect(() => assertFlat(verdicts)).toThrow(/time per order ×1\.60/);
  });

  it('refuses a series without a cost above zero at its smallest size', () => {
    expect(() => judgeGrowth([{ name: 'nothing measured', perUnit: [0, 1] }])).toThrow(RangeError);
  });
});

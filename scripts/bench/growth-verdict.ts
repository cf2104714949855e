/**
 * Whether a per-unit cost stays flat as the work grows: the growth benchmark's
 * rule, apart so it can be tested without running anything.
 */

/** Per-unit cost from the smallest size to the largest may grow by this much before it counts as growth. */
export const growthLimit = 1.5;

export interface Series {
  /** What is measured per unit, e.g. "timer drain: milliseconds per timer × ceiling". */
  name: string;
  /** The per-unit cost at each size, smallest size first. */
  perUnit: readonly number[];
}

export interface SeriesVerdict {
  name: string;
  /** Largest size's per-unit cost over the smallest's. */
  ratio: number;
  flat: boolean;
}

export const judgeGrowth = (series: readonly Series[], limit = growthLimit): SeriesVerdict[] =>
  series.map(({ name, perUnit }) => {
    const first = perUnit[0];
    const last = perUnit[perUnit.length - 1];
    if (first === undefined || last === undefined || !(first > 0) || !Number.isFinite(last))
      throw new RangeError(`${name}: needs a per-unit cost above 0 at two sizes or more`);
    const ratio = last / first;
    return { name, ratio, flat: ratio <= limit };
  });

export class GrowthError extends Error {
  override readonly name = 'GrowthError';
}

/** Throws GrowthError naming every series that grew faster than linear beyond the limit. */
export const assertFlat = (verdicts: readonly SeriesVerdict[], limit = growthLimit): void => {
  const grown = verdicts.filter((verdict) => !verdict.flat);
  if (grown.length > 0)
    throw new GrowthError(
      `per-unit cost grew more than ${limit}× from the smallest size to the largest: ${grown
        .map((verdict) => `${verdict.name} ×${verdict.ratio.toFixed(2)}`)
        .join('; ')}`,
    );
};

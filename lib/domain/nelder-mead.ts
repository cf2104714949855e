/**
 * A small Nelder–Mead minimiser for the few-parameter likelihoods of the value
 * models (BG/NBD has four, Gamma-Gamma three). It needs no gradient, which the
 * likelihoods (log-gamma, a two-term log-sum-exp) would make tedious, and it
 * always stops: on a flat simplex, or at an iteration cap.
 */

export interface MinimizeOptions {
  /** Stop after this many iterations (default 2,000 × the dimension), reporting `converged: false`. */
  maxIterations?: number;
  /** Converged once every vertex's value is within this of the best, relative to max(1, |best|) (default 1e-10). */
  valueTolerance?: number;
  /**
   * …and every vertex is within this of the best in each coordinate (default
   * 1e-8). Absolute, not relative: a run off to infinity on a function without
   * minimum never looks converged. Fit over logarithms for relative precision.
   */
  pointTolerance?: number;
  /**
   * The initial simplex's step along each axis. By default 5% of the start's
   * coordinate, or 0.00025 where it is 0 (the usual choice, also SciPy's).
   */
  initialStep?: number;
}

export interface MinimizeResult {
  /** The best point found. */
  x: number[];
  /** f at that point (+Infinity when f was never finite). */
  value: number;
  iterations: number;
  /** The simplex shrank below both tolerances; false when the iteration cap stopped it. */
  converged: boolean;
}

/** A start the minimiser cannot begin from: no coordinates, or a coordinate that is not a finite number. */
export class InvalidStartError extends Error {
  override readonly name = 'InvalidStartError';
}

interface Vertex {
  x: number[];
  value: number;
}

// A likelihood outside its domain (a negative variance, an overflow) yields NaN or
// ±Infinity; treating every such value as the worst keeps the simplex away from it.
const safely =
  (f: (x: readonly number[]) => number) =>
  (x: readonly number[]): number => {
    const value = f(x);
    return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
  };

const along = (from: readonly number[], to: readonly number[], factor: number): number[] =>
  from.map((fromValue, i) => fromValue + factor * ((to[i] ?? fromValue) - fromValue));

const initialSimplex = (x0: readonly number[], step: number | undefined): number[][] => [
  [...x0],
  ...x0.map((_, axis) =>
    x0.map((value, i) => {
      if (i !== axis) return value;
      if (step !== undefined) return value + step;
      return value === 0 ? 0.00025 : value * 1.05;
    }),
  ),
];

const hasConverged = (
  simplex: readonly Vertex[],
  valueTolerance: number,
  pointTolerance: number,
): boolean => {
  const [best, ...rest] = simplex;
  if (best === undefined) return false;
  const valueScale = Math.max(1, Math.abs(best.value));
  // Written so that NaN spreads (an infinite best value) never count as converged.
  const flat = rest.every((vertex) => Math.abs(vertex.value - best.value) <= valueTolerance * valueScale);
  const small = rest.every((vertex) =>
    vertex.x.every((value, i) => Math.abs(value - (best.x[i] ?? Number.NaN)) <= pointTolerance),
  );
  return flat && small;
};

/**
 * Minimises f from x0 with the adaptive coefficients of Gao and Han (2012),
 * which keep the method from stalling as the dimension grows (for two
 * dimensions, and in one, they are the classic 1, 2, ½, ½). Values that are NaN or infinite
 * count as +Infinity, so f may refuse a region by returning NaN.
 */
export const minimize = (
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: MinimizeOptions = {},
): MinimizeResult => {
  const n = x0.length;
  if (n === 0) throw new InvalidStartError('x0 has no coordinates');
  const badAt = x0.findIndex((value) => !Number.isFinite(value));
  if (badAt >= 0) throw new InvalidStartError(`x0[${badAt}] is ${x0[badAt]}, not a finite number`);
  const { maxIterations = 2_000 * n, valueTolerance = 1e-10, pointTolerance = 1e-8, initialStep } = options;
  const g = safely(f);
  // In one dimension the adaptive shrink factor would be 0 and collapse the simplex: use the classic ones.
  const m = Math.max(n, 2);
  const reflection = 1;
  const expansion = 1 + 2 / m;
  const contraction = 0.75 - 1 / (2 * m);
  const shrinkage = 1 - 1 / m;

  const simplex: Vertex[] = initialSimplex(x0, initialStep).map((x) => ({ x, value: g(x) }));
  const order = (): void => {
    simplex.sort((left, right) => left.value - right.value);
  };
  order();

  let iterations = 0;
  let converged = hasConverged(simplex, valueTolerance, pointTolerance);
  while (!converged && iterations < maxIterations) {
    iterations += 1;
    const worst = simplex[n];
    const secondWorst = simplex[n - 1];
    const best = simplex[0];
    if (worst === undefined || secondWorst === undefined || best === undefined) break;
    const centroid = x0.map(
      (_, i) => simplex.slice(0, n).reduce((sum, vertex) => sum + (vertex.x[i] ?? 0), 0) / n,
    );

    const reflected = along(centroid, worst.x, -reflection);
    const reflectedValue = g(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(centroid, worst.x, -reflection * expansion);
      const expandedValue = g(expanded);
      simplex[n] =
        expandedValue < reflectedValue
          ? { x: expanded, value: expandedValue }
          : { x: reflected, value: reflectedValue };
    } else if (reflectedValue < secondWorst.value) {
      simplex[n] = { x: reflected, value: reflectedValue };
    } else {
      // Contract towards the better of the worst vertex and its reflection.
      const outside = reflectedValue < worst.value;
      const contracted = outside
        ? along(centroid, reflected, contraction)
        : along(centroid, worst.x, contraction);
      const contractedValue = g(contracted);
      if (contractedValue <= (outside ? reflectedValue : worst.value)) {
        simplex[n] = { x: contracted, value: contractedValue };
      } else {
        for (let i = 1; i <= n; i += 1) {
          const vertex = simplex[i];
          if (vertex === undefined) continue;
          const x = along(best.x, vertex.x, shrinkage);
          simplex[i] = { x, value: g(x) };
        }
      }
    }
    order();
    converged = hasConverged(simplex, valueTolerance, pointTolerance);
  }

  const best = simplex[0];
  return {
    x: best === undefined ? [...x0] : [...best.x],
    value: best === undefined ? Number.POSITIVE_INFINITY : best.value,
    iterations,
    converged,
  };
};

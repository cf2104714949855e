/**
 * Standard errors of a maximum-likelihood fit from the curvature of the
 * negative log-likelihood at its minimum: the covariance of the estimates is
 * approximately the inverse of that Hessian (the observed information).
 */

/** A matrix that should be symmetric positive definite is not (a fit at a saddle or on a flat ridge). */
export class NotPositiveDefiniteError extends Error {
  override readonly name = 'NotPositiveDefiniteError';
}

/** Square matrix, one array per row. */
export type Matrix = number[][];

const entry = (matrix: readonly (readonly number[])[], row: number, column: number): number =>
  matrix[row]?.[column] ?? Number.NaN;

/**
 * The Hessian of f at x by central differences. Each coordinate's step is
 * ε^¼ × max(1, |xᵢ|) with ε the double precision: the step that balances the
 * truncation error of the second difference (∝ h²) against rounding (∝ ε/h²).
 */
export const numericHessian = (f: (x: readonly number[]) => number, x: readonly number[]): Matrix => {
  const steps = x.map((value) => Number.EPSILON ** 0.25 * Math.max(1, Math.abs(value)));
  const at = (moves: readonly (readonly [number, number])[]): number => {
    const point = [...x];
    for (const [axis, sign] of moves) point[axis] = (point[axis] ?? 0) + sign * (steps[axis] ?? 0);
    return f(point);
  };
  const centre = f(x);
  const hessian: Matrix = x.map(() => x.map(() => 0));
  for (let i = 0; i < x.length; i += 1) {
    const hi = steps[i] ?? 0;
    const diagonal = (at([[i, 1]]) - 2 * centre + at([[i, -1]])) / (hi * hi);
    const row = hessian[i];
    if (row !== undefined) row[i] = diagonal;
    for (let j = i + 1; j < x.length; j += 1) {
      const hj = steps[j] ?? 0;
      const mixed =
        (at([
          [i, 1],
          [j, 1],
        ]) -
          at([
            [i, 1],
            [j, -1],
          ]) -
          at([
            [i, -1],
            [j, 1],
          ]) +
          at([
            [i, -1],
            [j, -1],
          ])) /
        (4 * hi * hj);
      const rowI = hessian[i];
      const rowJ = hessian[j];
      if (rowI !== undefined) rowI[j] = mixed;
      if (rowJ !== undefined) rowJ[i] = mixed;
    }
  }
  return hessian;
};

/**
 * The inverse of a symmetric positive definite matrix, by its Cholesky
 * factor L (A = L Lᵀ, so A⁻¹ = L⁻ᵀ L⁻¹). Cholesky is the test of definiteness
 * too: it throws NotPositiveDefiniteError when a pivot is not positive, which
 * for a Hessian means the point is no minimum and has no standard errors.
 */
export const invertSymmetricPositiveDefinite = (matrix: readonly (readonly number[])[]): Matrix => {
  const n = matrix.length;
  if (matrix.some((row) => row.length !== n)) throw new RangeError(`the matrix is not square (${n} rows)`);
  const lower: Matrix = matrix.map(() => matrix.map(() => 0));
  for (let i = 0; i < n; i += 1) {
    for (let j = 0; j <= i; j += 1) {
      let sum = entry(matrix, i, j);
      for (let k = 0; k < j; k += 1) sum -= entry(lower, i, k) * entry(lower, j, k);
      const row = lower[i];
      if (row === undefined) continue;
      if (i === j) {
        if (!(sum > 0))
          throw new NotPositiveDefiniteError(`pivot ${i} is ${sum}: the matrix is not positive definite`);
        row[i] = Math.sqrt(sum);
      } else {
        row[j] = sum / entry(lower, j, j);
      }
    }
  }
  // L⁻¹ by forward substitution, column by column of the identity.
  const lowerInverse: Matrix = matrix.map(() => matrix.map(() => 0));
  for (let column = 0; column < n; column += 1) {
    for (let i = column; i < n; i += 1) {
      let sum = i === column ? 1 : 0;
      for (let k = column; k < i; k += 1) sum -= entry(lower, i, k) * entry(lowerInverse, k, column);
      const row = lowerInverse[i];
      if (row !== undefined) row[column] = sum / entry(lower, i, i);
    }
  }
  // A⁻¹ = (L⁻¹)ᵀ L⁻¹.
  return matrix.map((_, i) =>
    matrix.map((__, j) => {
      let sum = 0;
      for (let k = Math.max(i, j); k < n; k += 1)
        sum += entry(lowerInverse, k, i) * entry(lowerInverse, k, j);
      return sum;
    }),
  );
};

/**
 * Standard errors of positive parameters fitted over their logarithms
 * (θ = e^u): from the Hessian H of the negative log-likelihood in u at the
 * optimum, Var(u) ≈ (H⁻¹)ᵢᵢ and, by the delta method, SE(θᵢ) = θᵢ · √(H⁻¹)ᵢᵢ.
 * Undefined when H is not positive definite: the fit is not at a proper minimum.
 */
export const standardErrorsOfLogParameters = (
  negativeLogLikelihood: (logParameters: readonly number[]) => number,
  logParameters: readonly number[],
): number[] | undefined => {
  const hessian = numericHessian(negativeLogLikelihood, logParameters);
  if (hessian.some((row) => row.some((value) => !Number.isFinite(value)))) return undefined;
  try {
    const covariance = invertSymmetricPositiveDefinite(hessian);
    return logParameters.map((u, i) => Math.exp(u) * Math.sqrt(entry(covariance, i, i)));
  } catch (error) {
    if (error instanceof NotPositiveDefiniteError) return undefined;
    throw error;
  }
};

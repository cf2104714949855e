import { describe, expect, it } from 'vitest';
import { InvalidStartError, minimize } from '../../../../lib/domain/nelder-mead.js';
import {
  invertSymmetricPositiveDefinite,
  NotPositiveDefiniteError,
  numericHessian,
  standardErrorsOfLogParameters,
} from '../../../../lib/domain/standard-errors.js';

const rosenbrock = ([x = 0, y = 0]: readonly number[]): number => 100 * (y - x * x) ** 2 + (1 - x) ** 2;

describe('minimize', () => {
  it('walks the Rosenbrock valley from (−1.2, 1) to (1, 1)', () => {
    const result = minimize(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(Math.abs((result.x[0] ?? 0) - 1)).toBeLessThan(1e-4);
    expect(Math.abs((result.x[1] ?? 0) - 1)).toBeLessThan(1e-4);
    expect(result.value).toBeLessThan(1e-8);
  });

  it('finds a minimum in four dimensions', () => {
    const target = [0.3, -2, 5, 1e-3];
    const bowl = (x: readonly number[]): number =>
      x.reduce((sum, value, i) => sum + (i + 1) * (value - (target[i] ?? 0)) ** 2, 0);
    const result = minimize(bowl, [1, 1, 1, 1]);
    expect(result.converged).toBe(true);
    result.x.forEach((value, i) => {
      expect(value).toBeCloseTo(target[i] ?? Number.NaN, 5);
    });
  });

  it('minimises in one dimension', () => {
    const result = minimize(([x = 0]) => (x - 3) ** 2 + 2, [0]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(3, 5);
    expect(result.value).toBeCloseTo(2, 10);
  });

  describe('when f is NaN in a region', () => {
    // A bowl around (2, 1) that is NaN on the unit disc: the straight way down from (−3, −3) crosses it.
    const blocked = ([x = 0, y = 0]: readonly number[]): number =>
      x * x + y * y < 1 ? Number.NaN : (x - 2) ** 2 + (y - 1) ** 2;

    it('goes around the region and finds the minimum', () => {
      const result = minimize(blocked, [-3, -3]);
      expect(result.converged).toBe(true);
      expect(Math.abs((result.x[0] ?? 0) - 2)).toBeLessThan(1e-4);
      expect(Math.abs((result.x[1] ?? 0) - 1)).toBeLessThan(1e-4);
    });

    it('never reports a NaN value, and stays out of the region', () => {
      const result = minimize(([x = 0]) => (x < 2 ? Number.NaN : (x - 1) ** 2), [10]);
      expect(result.x[0]).toBeGreaterThanOrEqual(2);
      expect(result.x[0]).toBeCloseTo(2, 5);
      expect(result.value).toBeCloseTo(1, 5);
    });
  });

  describe('when f has no minimum', () => {
    const downhill = ([x = 0, y = 0]: readonly number[]): number => x + y;

    it('stops at the iteration cap and says it did not converge', () => {
      const result = minimize(downhill, [0, 0], { maxIterations: 300 });
      expect(result.converged).toBe(false);
      expect(result.iterations).toBe(300);
    });

    it('stops at the default cap of 2,000 iterations per dimension', () => {
      const result = minimize(downhill, [0, 0]);
      expect(result.converged).toBe(false);
      expect(result.iterations).toBe(4_000);
    });
  });

  it('refuses a start that is empty or not finite, naming the coordinate', () => {
    expect(() => minimize(rosenbrock, [])).toThrow(InvalidStartError);
    expect(() => minimize(rosenbrock, [1, Number.NaN])).toThrow('x0[1] is NaN');
  });
});

describe('numericHessian', () => {
  it('recovers the matrix of a quadratic form', () => {
    // f(x) = ½ xᵀ A x + bᵀx has Hessian A everywhere.
    const A = [
      [4, 1, 0.5],
      [1, 3, -0.2],
      [0.5, -0.2, 2],
    ];
    const f = (x: readonly number[]): number =>
      0.5 * x.reduce((sum, xi, i) => sum + xi * x.reduce((row, xj, j) => row + (A[i]?.[j] ?? 0) * xj, 0), 0) +
      x.reduce((sum, xi, i) => sum + (i + 1) * xi, 0);
    const hessian = numericHessian(f, [0.7, -1.3, 2.5]);
    hessian.forEach((row, i) => {
      row.forEach((value, j) => {
        expect(value).toBeCloseTo(A[i]?.[j] ?? Number.NaN, 5);
      });
    });
  });
});

describe('invertSymmetricPositiveDefinite', () => {
  it('gives the inverse: A · A⁻¹ = I', () => {
    const A = [
      [4, 1, 0.5],
      [1, 3, -0.2],
      [0.5, -0.2, 2],
    ];
    const inverse = invertSymmetricPositiveDefinite(A);
    A.forEach((row, i) => {
      row.forEach((_, j) => {
        const product = row.reduce((sum, value, k) => sum + value * (inverse[k]?.[j] ?? Number.NaN), 0);
        expect(product).toBeCloseTo(i === j ? 1 : 0, 12);
      });
      expect(inverse[i]?.[(i + 1) % 3]).toBeCloseTo(inverse[(i + 1) % 3]?.[i] ?? Number.NaN, 14);
    });
  });

  it('inverts a 2×2 as the textbook formula does', () => {
    const inverse = invertSymmetricPositiveDefinite([
      [2, 1],
      [1, 2],
    ]);
    expect(inverse[0]?.[0]).toBeCloseTo(2 / 3, 14);
    expect(inverse[0]?.[1]).toBeCloseTo(-1 / 3, 14);
    expect(inverse[1]?.[1]).toBeCloseTo(2 / 3, 14);
  });

  describe('when the matrix is not positive definite (a saddle)', () => {
    it('throws NotPositiveDefiniteError', () => {
      expect(() =>
        invertSymmetricPositiveDefinite([
          [1, 2],
          [2, 1],
        ]),
      ).toThrow(NotPositiveDefiniteError);
    });
  });
});

describe('standardErrorsOfLogParameters', () => {
  it('are θ·σ for a normal log-likelihood in log θ with standard deviation σ', () => {
    const centre = [Math.log(2), Math.log(50)];
    const sigma = [0.1, 0.3];
    const negativeLogLikelihood = (u: readonly number[]): number =>
      u.reduce((sum, value, i) => sum + ((value - (centre[i] ?? 0)) / (sigma[i] ?? 1)) ** 2 / 2, 0);
    const errors = standardErrorsOfLogParameters(negativeLogLikelihood, centre);
    expect(errors?.[0]).toBeCloseTo(2 * 0.1, 6);
    expect(errors?.[1]).toBeCloseTo(50 * 0.3, 5);
  });

  it('are undefined at a saddle', () => {
    const saddle = ([x = 0, y = 0]: readonly number[]): number => x * x - y * y;
    expect(standardErrorsOfLogParameters(saddle, [0, 0])).toBeUndefined();
  });
});

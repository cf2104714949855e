import hyp2f1 from '@stdlib/math-base-special-hyp2f1';

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) where the value models
 * need it: positive a, b, c and 0 ≤ z < 1, where its series has only positive
 * terms. Within that range stdlib's hyp2f1 agrees with the plain series to
 * about 1e-13 (a unit test holds it to that, a and b up to a few hundred);
 * its one weakness there is the double range, as ₂F₁ grows like (1 − z)^−a:
 * a customer with hundreds of repeat purchases over a multi-year horizon
 * overflows it. The BG/NBD expectations multiply it by (1 − z)^a again, so
 * they need its logarithm, which the series gives without overflow. (The Pfaff
 * transformation that would avoid the growth evaluates ₂F₁ at z/(z − 1) < 0,
 * where stdlib lost up to 1e-7 and returned NaN for a in the hundreds.)
 */

/** Arguments outside a > 0, b > 0, c > 0, 0 ≤ z < 1. */
export class HypergeometricDomainError extends Error {
  override readonly name = 'HypergeometricDomainError';
}

/** Stop once the remaining tail is below this share of the sum: the double precision. */
const TAIL_SHARE = Number.EPSILON / 2;
/** The series needs about a·z/(1 − z) terms to peak; this covers z up to 1 − 1e-4 with a in the thousands. */
const MAX_TERMS = 50_000_000;

/**
 * ln ₂F₁(a, b; c; z) by its series, summed in logarithms (a running
 * log-sum-exp), so terms far beyond 1e308 are fine. Stops when the tail,
 * bounded by a geometric series of the current term ratio (or z, whichever
 * is larger: the ratio tends to z), is below double precision.
 */
export const logHyp2f1Series = (a: number, b: number, c: number, z: number): number => {
  checkDomain(a, b, c, z);
  if (z === 0) return 0;
  const logZ = Math.log(z);
  let logTerm = 0;
  let logMax = 0;
  let scaledSum = 1;
  for (let n = 0; n < MAX_TERMS; n += 1) {
    const logRatio = Math.log(a + n) + Math.log(b + n) - Math.log(c + n) - Math.log(n + 1) + logZ;
    logTerm += logRatio;
    if (logTerm > logMax) {
      scaledSum = scaledSum * Math.exp(logMax - logTerm) + 1;
      logMax = logTerm;
    } else {
      scaledSum += Math.exp(logTerm - logMax);
    }
    const ratio = Math.max(Math.exp(logRatio), z);
    if (ratio < 1) {
      const logTail = logTerm + Math.log(ratio) - Math.log1p(-ratio);
      if (logTail - logMax - Math.log(scaledSum) < Math.log(TAIL_SHARE)) break;
    }
  }
  return logMax + Math.log(scaledSum);
};

const checkDomain = (a: number, b: number, c: number, z: number): void => {
  if (!(a > 0 && b > 0 && c > 0 && Number.isFinite(a) && Number.isFinite(b) && Number.isFinite(c))) {
    throw new HypergeometricDomainError(`a, b and c must be positive and finite (got ${a}, ${b}, ${c})`);
  }
  if (!(z >= 0 && z < 1)) throw new HypergeometricDomainError(`z must be in [0, 1) (got ${z})`);
};

/** ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1: stdlib's value, or the log-space series where it overflows. */
export const logHyp2f1 = (a: number, b: number, c: number, z: number): number => {
  checkDomain(a, b, c, z);
  const value = hyp2f1(a, b, c, z);
  return Number.isFinite(value) && value > 0 ? Math.log(value) : logHyp2f1Series(a, b, c, z);
};

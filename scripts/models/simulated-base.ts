import type { BgNbdParameters } from '../../lib/domain/bg-nbd.js';
import type { GammaGammaParameters } from '../../lib/domain/gamma-gamma.js';
import type { RepeatSummary } from '../../lib/domain/repeat-summary.js';
import { type SeededRandom, seededRandom } from '../demo/seeded-random.js';

/**
 * A customer base drawn from the models themselves: each customer buys as a
 * Poisson process at a rate λ ~ Gamma(r, α), may drop out after each purchase
 * with a probability p ~ Beta(a, b) (BG/NBD), and spends per order from a
 * Gamma(p, ν) whose ν ~ Gamma(q, γ) (Gamma-Gamma). Fitting such a base must
 * give its parameters back; the value-models benchmark times fits of one.
 */

/** Marsaglia and Tsang's method; shape < 1 through the boost U^(1/shape). */
const gammaVariate = (random: SeededRandom, shape: number, scale: number): number => {
  if (shape < 1) return gammaVariate(random, shape + 1, scale) * (1 - random.next()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box–Muller: one standard normal from two uniforms.
      x = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random.next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
};

const betaVariate = (random: SeededRandom, a: number, b: number): number => {
  const x = gammaVariate(random, a, 1);
  return x / (x + gammaVariate(random, b, 1));
};

export interface SimulatedBase {
  summaries: RepeatSummary[];
  /** Repeat purchases the base made in the `holdout` time after calibration. */
  holdoutPurchases: number;
}

/**
 * `customers` who each join at a uniform time in the first `joinSpan` of a
 * calibration of `calibration` (times in the parameters' unit, whole units:
 * purchases land on whole days when the unit is a day), summarised at its end.
 */
export const simulatedBase = (options: {
  customers: number;
  calibration: number;
  joinSpan: number;
  holdout: number;
  bgnbd: BgNbdParameters;
  gammaGamma: GammaGammaParameters;
  seed: number;
  /** Purchases on whole units (days), the same day's counted once, as Rapport's cards count them. */
  wholeUnits: boolean;
}): SimulatedBase => {
  const random = seededRandom(options.seed);
  const { r, alpha, a, b } = options.bgnbd;
  const { p, q, gamma } = options.gammaGamma;
  const summaries: RepeatSummary[] = [];
  let holdoutPurchases = 0;
  for (let customer = 0; customer < options.customers; customer += 1) {
    const rate = gammaVariate(random, r, 1 / alpha);
    const dropout = betaVariate(random, a, b);
    const nu = gammaVariate(random, q, 1 / gamma);
    const joined = random.next() * options.joinSpan;
    const T = options.calibration - (options.wholeUnits ? Math.floor(joined) : joined);
    let at = 0;
    let x = 0;
    let tx = 0;
    let spent = 0;
    // Alive at the first purchase; after each later one, the customer may leave for good.
    while (rate > 0) {
      at += -Math.log(1 - random.next()) / rate;
      const time = options.wholeUnits ? Math.floor(at) : at;
      if (time > T + options.holdout) break;
      if (time > T) holdoutPurchases += 1;
      else if (time > tx) {
        // A purchase on the day of the one before is the same purchase (whole units only).
        x += 1;
        tx = time;
        spent += gammaVariate(random, p, 1 / nu);
      }
      if (random.chance(dropout)) break;
    }
    summaries.push({ x, tx, T, meanValue: x === 0 ? 0 : spent / x, count: 1 });
  }
  return { summaries, holdoutPurchases };
};

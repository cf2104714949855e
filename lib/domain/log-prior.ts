/**
 * A weak prior on the logarithms of a model's shape parameters, added to the
 * negative log-likelihood the fits minimise: λ·Σ(ln θ)². Where the data
 * identify the parameters it moves them by far less than their standard errors
 * (on CDNOW, under 0.5 %); where they do not, because the likelihood keeps
 * rising along a ridge toward a boundary (every customer drops out with the
 * same chance, so BG/NBD's a and b grow without end together), it stops the
 * drift, and the fit converges instead of running into its iteration cap. Only
 * shapes (r, a, b; p, q), which have no unit: a prior on α or γ would make the
 * fit depend on whether time is in days or weeks, money in cents or euros.
 */
export const LOG_PRIOR_WEIGHT = 0.01;

export const logPrior = (logParameters: readonly number[]): number =>
  LOG_PRIOR_WEIGHT * logParameters.reduce((sum, u) => sum + u * u, 0);

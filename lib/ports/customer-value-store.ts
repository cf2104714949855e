import type { RfmThresholds } from '../domain/customer-value.js';
import type { LearnedCycles } from '../domain/replacement-cycles.js';

/**
 * What the daily customer-value refresh learns of the whole base, read to score
 * each purchase as it arrives: the RFM cuts with the fitted value models, and
 * the replacement cycles learned from the purchase history.
 */
export interface CustomerValueStore {
  thresholds(): Promise<RfmThresholds | undefined>;
  saveThresholds(thresholds: RfmThresholds): Promise<void>;
  cycles(): Promise<LearnedCycles | undefined>;
  saveCycles(cycles: LearnedCycles): Promise<void>;
}

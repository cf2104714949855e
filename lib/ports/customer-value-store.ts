import type { RfmThresholds } from '../domain/customer-value.js';

/** The base-wide RFM cuts, refreshed on a schedule and read to score each purchase as it arrives. */
export interface CustomerValueStore {
  thresholds(): Promise<RfmThresholds | undefined>;
  saveThresholds(thresholds: RfmThresholds): Promise<void>;
}

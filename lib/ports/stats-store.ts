export interface StatsStore {
  /** Adds to a daily counter, e.g. scope `email`, day `2026-11-23`, metric `delivery`. */
  increment(scope: string, day: string, metric: string, by?: number): Promise<void>;
  read(scope: string, day: string): Promise<Record<string, number>>;
}

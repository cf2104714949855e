export interface Clock {
  now(): Date;
  /** Lets time pass; a virtual clock advances instead of waiting. */
  sleep(ms: number): Promise<void>;
}

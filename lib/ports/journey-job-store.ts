import type { JourneyJob } from '../domain/journey-job.js';

export interface JourneyJobStore {
  create(job: JourneyJob): Promise<void>;
  /** The jobs filed under a subject (a journey id, or `product:<sku>`), newest first. */
  listForSubject(subject: string): Promise<JourneyJob[]>;
  /** Jobs not finished yet, oldest first. */
  pending(): Promise<JourneyJob[]>;
  /** Stores the job's progress over `expectedRevision`; ConcurrentUpdateError if another run moved it. */
  save(job: JourneyJob, expectedRevision: number): Promise<void>;
}

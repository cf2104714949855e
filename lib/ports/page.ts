import type { JobCursor } from '../domain/journey-job.js';

/** Part of a long list, and where to go on from; `next` is undefined after the last page. */
export interface Page<T> {
  items: T[];
  next: JobCursor | undefined;
}

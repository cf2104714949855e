import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { JourneyJob } from '../../domain/journey-job.js';
import type { JourneyJobStore } from '../../ports/journey-job-store.js';
import { jobFromItem, jobItem } from '../dynamodb/job-items.js';
import { jobKeys } from '../dynamodb/keys.js';
import { attributeIs, itemAbsent, type MemoryTable } from './memory-table.js';

/** Jobs in the JOBS partition (`JOB#<subject>#<id>`), saved over their revision, as DynamoJourneyJobStore keeps them. */
export class MemoryJourneyJobStore implements JourneyJobStore {
  constructor(private readonly table: MemoryTable) {}

  async create(job: JourneyJob): Promise<void> {
    const outcome = await this.table.write({ put: jobItem(job), condition: itemAbsent });
    if (!outcome.written) throw new Error(`job ${job.id} exists already`);
  }

  async listForSubject(subject: string): Promise<JourneyJob[]> {
    return (await this.query(jobKeys.subjectPrefix(subject))).reverse();
  }

  async pending(): Promise<JourneyJob[]> {
    const jobs = await this.query(jobKeys.allPrefix);
    return jobs
      .filter((job) => job.status === 'pending')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async save(job: JourneyJob, expectedRevision: number): Promise<void> {
    const outcome = await this.table.write({
      put: jobItem(job),
      condition: attributeIs('revision', expectedRevision),
    });
    if (!outcome.written) {
      throw new ConcurrentUpdateError(`job ${job.id} moved on since revision ${expectedRevision}`);
    }
  }

  private async query(prefix: string): Promise<JourneyJob[]> {
    const items = await this.table.queryAll(jobKeys.partition, { prefix });
    return items.map(jobFromItem);
  }
}

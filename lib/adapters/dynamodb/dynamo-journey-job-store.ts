import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { JourneyJob } from '../../domain/journey-job.js';
import type { JourneyJobStore } from '../../ports/journey-job-store.js';
import { mustNotExist } from './items.js';
import { jobFromItem, jobItem } from './job-items.js';
import { jobKeys } from './keys.js';
import { queryAll } from './query-all.js';
import { isConditionalCheckFailure } from './transactions.js';

export class DynamoJourneyJobStore implements JourneyJobStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: JourneyJob): Promise<void> {
    await this.documentClient.send(
      new PutCommand({ TableName: this.tableName, Item: jobItem(job), ConditionExpression: mustNotExist }),
    );
  }

  async listForSubject(subject: string): Promise<JourneyJob[]> {
    const items = await this.query(jobKeys.subjectPrefix(subject));
    return items.reverse();
  }

  async pending(): Promise<JourneyJob[]> {
    const jobs = await this.query(jobKeys.allPrefix);
    return jobs
      .filter((job) => job.status === 'pending')
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async save(job: JourneyJob, expectedRevision: number): Promise<void> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: jobItem(job),
          ConditionExpression: 'revision = :expected',
          ExpressionAttributeValues: { ':expected': expectedRevision },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailure(error))
        throw new ConcurrentUpdateError(`job ${job.id} moved on since revision ${expectedRevision}`);
      throw error;
    }
  }

  private async query(prefix: string): Promise<JourneyJob[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': jobKeys.partition, ':prefix': prefix },
      ConsistentRead: true,
    });
    return items.map(jobFromItem);
  }
}

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Enrollment } from '../../domain/enrollment.js';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { Message } from '../../domain/message.js';
import type { EnrollmentStore, StartOutcome } from '../../ports/enrollment-store.js';
import { type ItemType, messageItem, putNew } from './items.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';
import { type TransactItem, transactWrite } from './transactions.js';

export class DynamoEnrollmentStore implements EnrollmentStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async start(
    enrollment: Enrollment,
    messages: Message[],
    options: { once: boolean },
  ): Promise<StartOutcome> {
    const items: TransactItem[] = [
      putNew(this.tableName, {
        ...keys.enrollment(enrollment.contactId, enrollment.journeyId, enrollment.id),
        type: 'enrollment' satisfies ItemType,
        ...enrollment,
      }),
      ...messages.map((message) => putNew(this.tableName, messageItem(message))),
    ];
    const markerIndex = items.length;
    if (options.once) {
      items.push(
        putNew(this.tableName, {
          ...keys.entered(enrollment.contactId, enrollment.journeyId),
          type: 'entered' satisfies ItemType,
          contactId: enrollment.contactId,
          journeyId: enrollment.journeyId,
          enrollmentId: enrollment.id,
          at: enrollment.enteredAt,
        }),
      );
    }
    const cancellation = await transactWrite(this.documentClient, items);
    if (cancellation === undefined) return 'started';
    // A replayed trigger finds its own enrollment (and so its own marker): that is the answer, not "entered before".
    if (cancellation.failedConditions.includes(enrollmentIndex)) return 'already-started';
    if (options.once && cancellation.failedConditions.includes(markerIndex)) return 'already-entered';
    if (cancellation.conflicted) {
      throw new ConcurrentUpdateError(
        `another write touched enrollment ${enrollment.id} of contact ${enrollment.contactId} at the same time`,
      );
    }
    throw new Error(
      `starting enrollment ${enrollment.id} failed the conditions of items ${cancellation.failedConditions.join(', ')}`,
    );
  }

  async listForContact(contactId: string): Promise<Enrollment[]> {
    const items = await queryAll(this.documentClient, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': keys.enrollmentPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => Enrollment.parse(item));
  }
}

const enrollmentIndex = 0;

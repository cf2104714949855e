import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '../../domain/audit-entry.js';
import type { SendingPause, SendingResume, SendingState } from '../../domain/sending-state.js';
import type { SendingStateStore } from '../../ports/sending-state-store.js';
import { auditItem } from './audit-items.js';
import {
  pausedState,
  resumedState,
  sendingStateAttributes,
  sendingStateFromItem,
  sendingStateKey,
} from './sending-state-items.js';
import { isConditionalCheckFailure, transactWriteThroughConflicts } from './transactions.js';

const versionGuard = (current: SendingState) =>
  current.version === 0
    ? {
        ConditionExpression: 'attribute_not_exists(#version)',
        ExpressionAttributeNames: { '#version': 'version' },
      }
    : {
        ConditionExpression: '#version = :read',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':read': current.version },
      };

/** The state as one item; each change is a put conditioned on the version it was read at. */
export class DynamoSendingStateStore implements SendingStateStore {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(): Promise<SendingState> {
    const { Item } = await this.documentClient.send(
      new GetCommand({ TableName: this.tableName, Key: sendingStateKey, ConsistentRead: true }),
    );
    return sendingStateFromItem(Item);
  }

  async pause(pause: SendingPause, entry?: AuditEntry): Promise<'paused' | 'already-paused'> {
    for (;;) {
      const current = await this.get();
      if (current.status === 'paused') return 'already-paused';
      const next = pausedState(current, pause);
      const written =
        entry === undefined
          ? await this.replace(current, next)
          : await this.replaceWithEntry(current, next, { ...entry, versionAfter: next.version });
      if (written) return 'paused';
    }
  }

  async resume(resume: SendingResume): Promise<'resumed' | 'not-paused'> {
    for (;;) {
      const current = await this.get();
      if (current.status !== 'paused') return 'not-paused';
      if (await this.replace(current, resumedState(current, resume))) return 'resumed';
    }
  }

  /** False when another change came first: the caller reads again and decides again. */
  private async replace(current: SendingState, next: SendingState): Promise<boolean> {
    try {
      await this.documentClient.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...sendingStateKey, ...sendingStateAttributes(next) },
          ...versionGuard(current),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailure(error)) return false;
      throw error;
    }
  }

  /** The same, with the audit entry in one transaction. */
  private async replaceWithEntry(
    current: SendingState,
    next: SendingState,
    entry: AuditEntry,
  ): Promise<boolean> {
    const cancellation = await transactWriteThroughConflicts(this.documentClient, [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...sendingStateKey, ...sendingStateAttributes(next) },
          ...versionGuard(current),
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: auditItem(entry),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ]);
    if (cancellation === undefined) return true;
    if (cancellation.failedConditions.includes(1))
      throw new Error(`audit entry ${entry.id} at ${entry.at} is already on record`);
    return false;
  }
}

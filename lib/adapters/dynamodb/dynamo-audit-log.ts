import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type AuditCursor, AuditEntry, type AuditPage, auditCursorOf } from '../../domain/audit-entry.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { auditItem, auditPartition } from './audit-items.js';
import { mustNotExist } from './items.js';

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly documentClient: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.documentClient.send(
      new PutCommand({
        TableName: this.tableName,
        Item: auditItem(AuditEntry.parse(entry)),
        // An entry is never overwritten: the log is append-only.
        ConditionExpression: mustNotExist,
      }),
    );
  }

  async list(limit: number, after?: AuditCursor): Promise<AuditPage> {
    const page = await this.documentClient.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': auditPartition },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
        ...(after === undefined ? {} : { ExclusiveStartKey: { PK: auditPartition, SK: after } }),
      }),
    );
    const entries = (page.Items ?? []).map((item) => AuditEntry.parse(item));
    const last = entries.at(-1);
    return {
      entries,
      next: page.LastEvaluatedKey === undefined || last === undefined ? null : auditCursorOf(last),
    };
  }
}

import {
  CreateTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { listIndex, ttlAttribute } from './keys.js';

export interface TableOptions {
  /**
   * Whether the table has its stream (default true, as deployed). Benchmarks that never read
   * the stream leave it off: DynamoDB Local gets slower for every stream-enabled table it has
   * held, deleted or not (docs/benchmarks.md, the ceiling).
   */
  stream?: boolean;
}

/**
 * Creates the single table the way the CDK app declares it (keep the two in step)
 * and switches TTL on. Safe to call on every start: an existing table is kept.
 */
export const createTableIfMissing = async (
  client: DynamoDBClient,
  tableName: string,
  options: TableOptions = {},
): Promise<void> => {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
          { AttributeName: listIndex.partitionKey, AttributeType: 'S' },
          { AttributeName: listIndex.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: listIndex.name,
            KeySchema: [
              { AttributeName: listIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: listIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        ...(options.stream === false
          ? {}
          : { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 120 }, { TableName: tableName });

  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  // Enabling TTL twice is a ValidationException, so a restart must not try again.
  if (status === 'ENABLED' || status === 'ENABLING') return;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }),
  );
};

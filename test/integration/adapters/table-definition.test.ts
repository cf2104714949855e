import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTableIfMissing } from '../../../lib/adapters/dynamodb/table-definition.js';
import { createTestTable } from '../support/table.js';

describe('creating the table', () => {
  it('makes the single table with string keys, a stream of both images and TTL on expiresAt', async () => {
    const { client, tableName } = await createTestTable({ stream: true });

    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));

    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'expiresAt',
    });
  });

  it('leaves out the stream only when asked to', async () => {
    const { client, tableName } = await createTestTable({ stream: false });

    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));

    expect(Table?.StreamSpecification).toBeUndefined();
    expect(Table?.LatestStreamArn).toBeUndefined();
  });

  it('leaves an existing table as it is when called again', async () => {
    const { client, tableName } = await createTestTable();

    await expect(createTableIfMissing(client, tableName)).resolves.toBeUndefined();
  });
});

import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { toLambdaRecord } from '../../../infra/local/stream-poller.js';
import type { TestTable } from './table.js';

/**
 * Every record the table's stream holds so far, shaped as Lambda hands them to a
 * handler (binary as base64, times as epoch seconds). Reads each shard from its start.
 */
export const readStreamRecords = async (table: TestTable): Promise<DynamoDBRecord[]> => {
  const { Table } = await table.client.send(new DescribeTableCommand({ TableName: table.tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (streamArn === undefined) throw new Error(`table ${table.tableName} has no stream`);
  const streams = new DynamoDBStreamsClient({
    endpoint: table.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    const records: DynamoDBRecord[] = [];
    for (const shard of StreamDescription?.Shards ?? []) {
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      // An open shard hands out iterators forever; stop at the first empty page.
      let iterator = ShardIterator;
      for (let page = 0; iterator !== undefined && page < 20; page += 1) {
        const result = await streams.send(new GetRecordsCommand({ ShardIterator: iterator }));
        const batch = result.Records ?? [];
        records.push(...batch.map((record) => toLambdaRecord(record, streamArn, localRegion)));
        iterator = batch.length === 0 ? undefined : result.NextShardIterator;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
};

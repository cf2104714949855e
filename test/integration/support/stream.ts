import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue as StreamAttributeValue,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
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
        records.push(...batch.map((record) => toLambdaRecord(record, streamArn)));
        iterator = batch.length === 0 ? undefined : result.NextShardIterator;
      }
    }
    return records;
  } finally {
    streams.destroy();
  }
};

const toLambdaRecord = (record: StreamRecord, streamArn: string): DynamoDBRecord => ({
  ...(record.eventID === undefined ? {} : { eventID: record.eventID }),
  ...(record.eventName === undefined ? {} : { eventName: record.eventName }),
  eventSource: 'aws:dynamodb',
  eventSourceARN: streamArn,
  awsRegion: localRegion,
  dynamodb: {
    ...(record.dynamodb?.Keys === undefined ? {} : { Keys: toLambdaMap(record.dynamodb.Keys) }),
    ...(record.dynamodb?.NewImage === undefined ? {} : { NewImage: toLambdaMap(record.dynamodb.NewImage) }),
    ...(record.dynamodb?.OldImage === undefined ? {} : { OldImage: toLambdaMap(record.dynamodb.OldImage) }),
    ...(record.dynamodb?.SequenceNumber === undefined
      ? {}
      : { SequenceNumber: record.dynamodb.SequenceNumber }),
    StreamViewType: 'NEW_AND_OLD_IMAGES',
  },
});

const toLambdaMap = (map: Record<string, StreamAttributeValue>): Record<string, LambdaAttributeValue> =>
  Object.fromEntries(Object.entries(map).map(([name, value]) => [name, toLambda(value)]));

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

const toLambda = (value: StreamAttributeValue): LambdaAttributeValue => {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.M !== undefined) return { M: toLambdaMap(value.M) };
  if (value.L !== undefined) return { L: value.L.map(toLambda) };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  throw new Error(`unknown attribute value ${JSON.stringify(value)}`);
};

import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import type { StreamRange, StreamRangeRead, StreamRangeReader } from '../../ports/stream-range-reader.js';
import { toLambdaRecord } from './lambda-stream-record.js';

export interface DynamoStreamRangeReaderOptions {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** A failed batch is at most the mapping's batch size; the reads of a range stop well past any. */
const maxPages = 20;

const isGone = (error: unknown): boolean =>
  error instanceof TrimmedDataAccessException || error instanceof ResourceNotFoundException;

/** Sequence numbers are decimal strings of up to 40 digits: compared as numbers, not text. */
const after = (sequenceNumber: string, end: string): boolean => BigInt(sequenceNumber) > BigInt(end);

/**
 * Reads a shard's records from one sequence number to another, as DynamoDB
 * Streams still holds them. A shard trimmed past the start, or gone, answers
 * `complete: false` with what was found.
 */
export class DynamoStreamRangeReader implements StreamRangeReader {
  private readonly client: DynamoDBStreamsClient;

  constructor(private readonly options: DynamoStreamRangeReaderOptions) {
    this.client = new DynamoDBStreamsClient(options);
  }

  async read(range: StreamRange): Promise<StreamRangeRead> {
    const records: DynamoDBRecord[] = [];
    let iterator: string | undefined;
    try {
      ({ ShardIterator: iterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: range.streamArn,
          ShardId: range.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: range.startSequenceNumber,
        }),
      ));
      for (let page = 0; iterator !== undefined && page < maxPages; page += 1) {
        const read = await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
        const found = read.Records ?? [];
        for (const record of found) {
          const sequenceNumber = record.dynamodb?.SequenceNumber;
          if (sequenceNumber === undefined) continue;
          if (after(sequenceNumber, range.endSequenceNumber)) return { records, complete: true };
          records.push(toLambdaRecord(record, range.streamArn, this.options.region));
        }
        // An open shard answers an empty page once it is read to its end.
        if (found.length === 0) break;
        iterator = read.NextShardIterator;
      }
    } catch (error) {
      if (isGone(error)) return { records, complete: false };
      throw error;
    }
    return { records, complete: records.at(-1)?.dynamodb?.SequenceNumber === range.endSequenceNumber };
  }
}

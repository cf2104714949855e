import type { DynamoDBRecord } from 'aws-lambda';
import { readStreamRecords } from '../../integration/support/stream.js';
import { connectToTable } from './table.js';

/** The stream's INSERT records whose sort key starts with `prefix`, as Lambda would deliver them. */
export const insertedRecords = async (
  stack: { dynamoEndpoint: string; tableName: string },
  prefix: string,
): Promise<DynamoDBRecord[]> => {
  const { client, documentClient } = connectToTable(stack);
  try {
    const records = await readStreamRecords({
      client,
      documentClient,
      tableName: stack.tableName,
      endpoint: stack.dynamoEndpoint,
    });
    return records.filter(
      (r) => r.eventName === 'INSERT' && (r.dynamodb?.Keys?.SK?.S ?? '').startsWith(prefix),
    );
  } finally {
    client.destroy();
  }
};

/** Hands the same records to the stack's function again, as a stream redelivery would. */
export const redeliver = (
  stack: { invoke(functionName: string, event: unknown): Promise<unknown> },
  functionName: string,
  records: DynamoDBRecord[],
): Promise<unknown> => stack.invoke(functionName, { Records: records });

import type { DynamoDBRecord } from 'aws-lambda';
import { localRegion } from '../../../infra/local/dynamodb-local.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
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

/** Hands the same records to a handler again, as a stream redelivery would. */
export const redeliver = async (entry: string, records: DynamoDBRecord[]): Promise<unknown> => {
  const module: unknown = await import(`../../../${entry}`);
  const handler =
    typeof module === 'object' && module !== null && 'handler' in module ? module.handler : undefined;
  if (typeof handler !== 'function') throw new Error(`${entry} has no handler`);
  const result: unknown = await handler(
    { Records: records },
    lambdaContext({ functionName: 'replay', memoryMb: 512, timeoutSeconds: 30 }, localRegion),
  );
  return result;
};

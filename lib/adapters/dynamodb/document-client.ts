import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { impossibleKeyRead } from './impossible-keys.js';
import { unstorableOr } from './transactions.js';

export interface DynamoDbConnection {
  region: string;
  /** Set for DynamoDB Local; absent in AWS, where the SDK finds the regional endpoint. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export const createDynamoDbClient = (connection: DynamoDbConnection): DynamoDBClient =>
  new DynamoDBClient({
    region: connection.region,
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(connection.credentials === undefined ? {} : { credentials: connection.credentials }),
  });

/** Writes of one item, whose refusals of what the item holds are named as a transaction's are. */
const singleWrites = new Set(['PutItemCommand', 'UpdateItemCommand']);

/** Optional fields of the domain objects arrive as `undefined`; DynamoDB has no such value. */
export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient => {
  const documentClient = DynamoDBDocumentClient.from(client, {
    marshallOptions: {
      removeUndefinedValues: true,
      // The marshaller tells plain objects by `constructor.name`, so a shop's trait named
      // `constructor` would make its object look like a class instance and be refused.
      convertClassInstanceToMap: true,
    },
  });
  // What no retry can store (too large, a number out of range, an empty map key: DynamoDB's
  // ValidationException or the marshaller's refusal) is UnstorableItemError for a single
  // write too, as the memory table reports it, so a refused definition is a 400, not a 500.
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        throw singleWrites.has(context.commandName ?? '') ? unstorableOr(error) : error;
      }
    },
    { step: 'initialize', priority: 'high', name: 'unstorableSingleWrites', override: true },
  );
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const read = impossibleKeyRead(context.commandName, args.input);
      if (read === undefined) return next(args);
      if ('output' in read) return { output: read.output, response: {} };
      return next({ ...args, input: { ...args.input, RequestItems: read.requestItems } });
    },
    { step: 'initialize', priority: 'high', name: 'impossibleKeyReads', override: true },
  );
  return documentClient;
};

export const createDocumentClient = (connection: DynamoDbConnection): DynamoDBDocumentClient =>
  documentClientFor(createDynamoDbClient(connection));

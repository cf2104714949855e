import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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

/** Optional fields of the domain objects arrive as `undefined`; DynamoDB has no such value. */
export const documentClientFor = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: {
      removeUndefinedValues: true,
      // The marshaller tells plain objects by `constructor.name`, so a shop's trait named
      // `constructor` would make its object look like a class instance and be refused.
      convertClassInstanceToMap: true,
    },
  });

export const createDocumentClient = (connection: DynamoDbConnection): DynamoDBDocumentClient =>
  documentClientFor(createDynamoDbClient(connection));

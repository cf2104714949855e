import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { documentClientFor } from '../../../lib/adapters/dynamodb/document-client.js';

export interface LocalTableClients {
  /** The caller destroys it when done; the document client shares its connections. */
  client: DynamoDBClient;
  documentClient: DynamoDBDocumentClient;
}

/** Clients for the local stack's DynamoDB, for setting up and inspecting what the runtime cannot be asked for. */
export const connectToTable = (stack: { dynamoEndpoint: string }): LocalTableClients => {
  const client = new DynamoDBClient({
    endpoint: stack.dynamoEndpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  return { client, documentClient: documentClientFor(client) };
};

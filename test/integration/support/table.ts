import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { createDynamoDbClient, documentClientFor } from '../../../lib/adapters/dynamodb/document-client.js';
import { createTableIfMissing } from '../../../lib/adapters/dynamodb/table-definition.js';
import './provided-context.js';

export interface TestTable {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  client: DynamoDBClient;
  endpoint: string;
}

/** A fresh table in the shared DynamoDB Local, so tests never see each other's items. */
export const createTestTable = async (): Promise<TestTable> => {
  const endpoint = inject('dynamodbEndpoint');
  const client = createDynamoDbClient({ region: localRegion, endpoint, credentials: localCredentials });
  const tableName = `test-${randomUUID()}`;
  await createTableIfMissing(client, tableName);
  return { tableName, documentClient: documentClientFor(client), client, endpoint };
};

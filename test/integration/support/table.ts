import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { createDynamoDbClient, documentClientFor } from '../../../lib/adapters/dynamodb/document-client.js';
import { createTableIfMissing, type TableOptions } from '../../../lib/adapters/dynamodb/table-definition.js';
import './provided-context.js';

export interface TestTable {
  tableName: string;
  documentClient: DynamoDBDocumentClient;
  client: DynamoDBClient;
  endpoint: string;
}

/**
 * A fresh table in the shared DynamoDB Local, so tests never see each other's items.
 * Without a stream unless the test reads it: DynamoDB Local gets slower for every
 * stream-enabled table it has held, and the tier creates hundreds of tables.
 */
export const createTestTable = async (options: TableOptions = {}): Promise<TestTable> => {
  const endpoint = inject('dynamodbEndpoint');
  const client = createDynamoDbClient({ region: localRegion, endpoint, credentials: localCredentials });
  const tableName = `test-${randomUUID()}`;
  await createTableIfMissing(client, tableName, { stream: options.stream ?? false });
  return { tableName, documentClient: documentClientFor(client), client, endpoint };
};

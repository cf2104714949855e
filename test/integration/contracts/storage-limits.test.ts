import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mustNotExist } from '../../../lib/adapters/dynamodb/items.js';
import { transactWrite } from '../../../lib/adapters/dynamodb/transactions.js';
import { storageLimitsContract } from '../../contracts/storage-limits.contract.js';
import { createTestTable } from '../support/table.js';

storageLimitsContract('DynamoDB', async () => {
  const { documentClient, tableName } = await createTestTable();
  return {
    transact: async (puts) => {
      const cancellation = await transactWrite(
        documentClient,
        puts.map(({ item, onlyIfAbsent }) => ({
          Put: {
            TableName: tableName,
            Item: item,
            ...(onlyIfAbsent === true ? { ConditionExpression: mustNotExist } : {}),
          },
        })),
      );
      return cancellation === undefined ? undefined : { failedConditions: cancellation.failedConditions };
    },
    get: async (key) =>
      (await documentClient.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true })))
        .Item,
    put: async (item) => {
      await documentClient.send(new PutCommand({ TableName: tableName, Item: item }));
    },
  };
});

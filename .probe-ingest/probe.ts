import { PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { localCredentials, localRegion, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { freePort } from '../infra/local/free-port.js';
import { createDynamoDbClient } from '../lib/adapters/dynamodb/document-client.js';
import { createTableIfMissing } from '../lib/adapters/dynamodb/table-definition.js';

const dynamo = await startDynamoDbLocal({ port: await freePort() });
const client = createDynamoDbClient({ region: localRegion, endpoint: dynamo.endpoint, credentials: localCredentials });
try {
  await createTableIfMissing(client, 'tbl');
  const r1 = await client.send(new PutItemCommand({ TableName: 'tbl', Item: { PK: { S: 'a' }, SK: { S: 'b' }, GSI1PK: { S: 'x' }, GSI1SK: { S: 'y' }, big: { S: 'z'.repeat(1500) } }, ReturnConsumedCapacity: 'INDEXES' }));
  console.log('put', JSON.stringify(r1.ConsumedCapacity));
  const r2 = await client.send(new TransactWriteItemsCommand({ TransactItems: [
    { Put: { TableName: 'tbl', Item: { PK: { S: 'c' }, SK: { S: 'd' } }, ConditionExpression: 'attribute_not_exists(PK)' } },
    { Put: { TableName: 'tbl', Item: { PK: { S: 'e' }, SK: { S: 'f' }, GSI1PK: { S: 'x' }, GSI1SK: { S: 'z' } }, ConditionExpression: 'attribute_not_exists(PK)' } },
  ], ReturnConsumedCapacity: 'INDEXES' }));
  console.log('tx', JSON.stringify(r2.ConsumedCapacity));
  try {
    await client.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'tbl', Item: { PK: { S: 'c' }, SK: { S: 'd' } }, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { TableName: 'tbl', Item: { PK: { S: 'g' }, SK: { S: 'h' } }, ConditionExpression: 'attribute_not_exists(PK)' } },
    ], ReturnConsumedCapacity: 'INDEXES' }));
  } catch (e) { console.log('txfail', (e as Error).name, JSON.stringify(e)); }
  const r3 = await client.send(new UpdateItemCommand({ TableName: 'tbl', Key: { PK: { S: 'k' }, SK: { S: 'l' } }, UpdateExpression: 'ADD #c :one', ExpressionAttributeNames: { '#c': 'c' }, ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnConsumedCapacity: 'TOTAL' }));
  console.log('upd', JSON.stringify(r3.ConsumedCapacity));
  const r4 = await client.send(new GetItemCommand({ TableName: 'tbl', Key: { PK: { S: 'a' }, SK: { S: 'b' } }, ConsistentRead: true, ReturnConsumedCapacity: 'INDEXES' }));
  console.log('get', JSON.stringify(r4.ConsumedCapacity));
  try {
    await client.send(new PutItemCommand({ TableName: 'tbl', Item: { PK: { S: 'a' }, SK: { S: 'b' } }, ConditionExpression: 'attribute_not_exists(PK)', ReturnConsumedCapacity: 'TOTAL' }));
  } catch (e) { console.log('putfail', (e as Error).name, JSON.stringify(e)); }
} finally { client.destroy(); await dynamo.stop(); }

import { TransactWriteItemsCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { localCredentials, localRegion, startDynamoDbLocal } from '../infra/local/dynamodb-local.js';
import { freePort } from '../infra/local/free-port.js';
import { createDynamoDbClient } from '../lib/adapters/dynamodb/document-client.js';
import { createTableIfMissing } from '../lib/adapters/dynamodb/table-definition.js';

const dynamo = await startDynamoDbLocal({ port: await freePort() });
const client = createDynamoDbClient({ region: localRegion, endpoint: dynamo.endpoint, credentials: localCredentials });
let n = 0;
const item = (pk: string, size: number, gsi = false) => ({ PK: { S: pk }, SK: { S: `s${n++}` }, ...(gsi ? { GSI1PK: { S: 'g' }, GSI1SK: { S: `x${n}` } } : {}), pad: { S: 'z'.repeat(size) } });
const tx = async (label: string, items: ReturnType<typeof item>[]) => {
  const r = await client.send(new TransactWriteItemsCommand({ TransactItems: items.map((Item) => ({ Put: { TableName: 'tbl', Item, ConditionExpression: 'attribute_not_exists(PK)' } })), ReturnConsumedCapacity: 'INDEXES' }));
  console.log(label, JSON.stringify(r.ConsumedCapacity));
};
try {
  await createTableIfMissing(client, 'tbl');
  await tx('2 x 3000B', [item('m1', 3000), item('m2', 3000)]);
  await tx('3 x 3000B', [item('n1', 3000), item('n2', 3000), item('n3', 3000)]);
  await tx('2 x 1500B', [item('o1', 1500), item('o2', 1500)]);
  await tx('2 x 900B', [item('q1', 900), item('q2', 900)]);
  await tx('2 x 1100B', [item('r1', 1100), item('r2', 1100)]);
  await tx('1 x 1100B + 5 tiny', [item('s1', 1100), ...Array.from({ length: 5 }, (_, i) => item(`s${i + 2}`, 10))]);
  await tx('2 tiny gsi', [item('t1', 10, true), item('t2', 10, true)]);
  await tx('3 tiny gsi', [item('u1', 10, true), item('u2', 10, true), item('u3', 10, true)]);
  const p = await client.send(new PutItemCommand({ TableName: 'tbl', Item: item('k', 3000), ReturnConsumedCapacity: 'INDEXES' }));
  console.log('put 3000B', JSON.stringify(p.ConsumedCapacity));
} finally { client.destroy(); await dynamo.stop(); }

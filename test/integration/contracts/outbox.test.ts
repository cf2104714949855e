import { outboxContract } from '../../contracts/outbox.contract.js';
import { dynamoStores } from './dynamo-stores.js';

outboxContract('the DynamoDB outbox', dynamoStores);

import { orderLogContract } from '../../contracts/order-log.contract.js';
import { dynamoStores } from './dynamo-stores.js';

orderLogContract('the DynamoDB order log', dynamoStores);

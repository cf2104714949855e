import { softBounceLogContract } from '../../contracts/soft-bounce-log.contract.js';
import { dynamoStores } from './dynamo-stores.js';

softBounceLogContract('the DynamoDB soft bounce log', dynamoStores);

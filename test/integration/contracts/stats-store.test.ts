import { statsStoreContract } from '../../contracts/stats-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

statsStoreContract('the DynamoDB stats store', dynamoStores);

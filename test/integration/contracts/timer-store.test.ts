import { timerStoreContract } from '../../contracts/timer-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

timerStoreContract('the DynamoDB timer wheel', dynamoStores);

import { deadLetterStoreContract } from '../../contracts/dead-letter-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

deadLetterStoreContract('the DynamoDB dead-letter store', dynamoStores);

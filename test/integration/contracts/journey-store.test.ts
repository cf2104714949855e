import { journeyStoreContract } from '../../contracts/journey-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

journeyStoreContract('the DynamoDB journey store', dynamoStores);

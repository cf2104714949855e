import { personalDataStoreContract } from '../../contracts/personal-data-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

personalDataStoreContract('the DynamoDB personal data store', dynamoStores);

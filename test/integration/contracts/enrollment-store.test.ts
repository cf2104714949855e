import { enrollmentStoreContract } from '../../contracts/enrollment-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

enrollmentStoreContract('the DynamoDB enrollment store', dynamoStores);

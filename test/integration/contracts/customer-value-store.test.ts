import { customerValueStoreContract } from '../../contracts/customer-value-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

customerValueStoreContract('the DynamoDB customer value store', dynamoStores);

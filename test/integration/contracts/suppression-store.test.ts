import { suppressionStoreContract } from '../../contracts/suppression-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

suppressionStoreContract('the DynamoDB suppression store', dynamoStores);

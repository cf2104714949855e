import { segmentStoreContract } from '../../contracts/segment-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

segmentStoreContract('the DynamoDB segment store', dynamoStores);

import { coPurchaseStoreContract } from '../../contracts/co-purchase-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

coPurchaseStoreContract('the DynamoDB co-purchase counts', dynamoStores);

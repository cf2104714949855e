import { catalogStoreContract } from '../../contracts/catalog-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

catalogStoreContract('the DynamoDB catalog', dynamoStores);

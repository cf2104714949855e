import { templateStoreContract } from '../../contracts/template-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

templateStoreContract('the DynamoDB template store', dynamoStores);

import { contactStoreContract } from '../../contracts/contact-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

contactStoreContract('the DynamoDB contact store', dynamoStores);

import { apiKeyStoreContract } from '../../contracts/api-key-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

apiKeyStoreContract('the DynamoDB API key store', dynamoStores);

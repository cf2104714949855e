import { ingestionStoreContract } from '../../contracts/ingestion-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

ingestionStoreContract('the DynamoDB ingestion store', dynamoStores);

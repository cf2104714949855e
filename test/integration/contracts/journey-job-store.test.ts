import { journeyJobStoreContract } from '../../contracts/journey-job-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

journeyJobStoreContract('the DynamoDB job store', dynamoStores);

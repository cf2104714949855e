import { campaignStoreContract } from '../../contracts/campaign-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

campaignStoreContract('the DynamoDB campaign stores', dynamoStores);

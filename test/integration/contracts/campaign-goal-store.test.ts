import { campaignGoalStoreContract } from '../../contracts/campaign-goal-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

campaignGoalStoreContract('the DynamoDB campaign goal store', dynamoStores);

import { campaignGoalStoreContract } from '../../contracts/campaign-goal-store.contract.js';
import { memoryStores } from './memory-stores.js';

campaignGoalStoreContract('the memory campaign goal store', memoryStores);

import { campaignStoreContract } from '../../contracts/campaign-store.contract.js';
import { memoryStores } from './memory-stores.js';

campaignStoreContract('the memory campaign stores', memoryStores);

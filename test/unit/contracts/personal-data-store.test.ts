import { personalDataStoreContract } from '../../contracts/personal-data-store.contract.js';
import { memoryStores } from './memory-stores.js';

personalDataStoreContract('the memory personal data store', memoryStores);

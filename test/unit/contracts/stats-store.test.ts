import { statsStoreContract } from '../../contracts/stats-store.contract.js';
import { memoryStores } from './memory-stores.js';

statsStoreContract('the memory stats store', memoryStores);

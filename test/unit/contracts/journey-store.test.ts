import { journeyStoreContract } from '../../contracts/journey-store.contract.js';
import { memoryStores } from './memory-stores.js';

journeyStoreContract('the memory journey store', memoryStores);

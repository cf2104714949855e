import { segmentStoreContract } from '../../contracts/segment-store.contract.js';
import { memoryStores } from './memory-stores.js';

segmentStoreContract('the memory segment store', memoryStores);

import { enrollmentStoreContract } from '../../contracts/enrollment-store.contract.js';
import { memoryStores } from './memory-stores.js';

enrollmentStoreContract('the memory enrollment store', memoryStores);

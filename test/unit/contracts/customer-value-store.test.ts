import { customerValueStoreContract } from '../../contracts/customer-value-store.contract.js';
import { memoryStores } from './memory-stores.js';

customerValueStoreContract('the memory customer value store', memoryStores);

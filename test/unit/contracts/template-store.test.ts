import { templateStoreContract } from '../../contracts/template-store.contract.js';
import { memoryStores } from './memory-stores.js';

templateStoreContract('the memory template store', memoryStores);

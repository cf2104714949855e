import { contactStoreContract } from '../../contracts/contact-store.contract.js';
import { memoryStores } from './memory-stores.js';

contactStoreContract('the memory contact store', memoryStores);

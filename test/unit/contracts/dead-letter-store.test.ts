import { deadLetterStoreContract } from '../../contracts/dead-letter-store.contract.js';
import { memoryStores } from './memory-stores.js';

deadLetterStoreContract('the memory dead-letter store', memoryStores);

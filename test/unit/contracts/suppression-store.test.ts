import { suppressionStoreContract } from '../../contracts/suppression-store.contract.js';
import { memoryStores } from './memory-stores.js';

suppressionStoreContract('the memory suppression store', memoryStores);

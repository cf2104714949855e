import { catalogStoreContract } from '../../contracts/catalog-store.contract.js';
import { memoryStores } from './memory-stores.js';

catalogStoreContract('the memory catalog', memoryStores);

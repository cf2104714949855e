import { coPurchaseStoreContract } from '../../contracts/co-purchase-store.contract.js';
import { memoryStores } from './memory-stores.js';

coPurchaseStoreContract('the memory co-purchase counts', memoryStores);

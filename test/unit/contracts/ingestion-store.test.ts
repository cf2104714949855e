import { ingestionStoreContract } from '../../contracts/ingestion-store.contract.js';
import { memoryStores } from './memory-stores.js';

ingestionStoreContract('the memory ingestion store', memoryStores);

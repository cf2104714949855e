import { journeyJobStoreContract } from '../../contracts/journey-job-store.contract.js';
import { memoryStores } from './memory-stores.js';

journeyJobStoreContract('the memory job store', memoryStores);

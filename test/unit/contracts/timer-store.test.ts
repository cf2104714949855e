import { timerStoreContract } from '../../contracts/timer-store.contract.js';
import { memoryStores } from './memory-stores.js';

timerStoreContract('the memory timer wheel', memoryStores);

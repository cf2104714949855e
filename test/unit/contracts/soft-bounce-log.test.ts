import { softBounceLogContract } from '../../contracts/soft-bounce-log.contract.js';
import { memoryStores } from './memory-stores.js';

softBounceLogContract('the memory soft bounce log', memoryStores);

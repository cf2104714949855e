import { clickLogContract } from '../../contracts/click-log.contract.js';
import { memoryStores } from './memory-stores.js';

clickLogContract('the memory click log', memoryStores);

import { orderLogContract } from '../../contracts/order-log.contract.js';
import { memoryStores } from './memory-stores.js';

orderLogContract('the memory order log', memoryStores);

import { outboxContract } from '../../contracts/outbox.contract.js';
import { memoryStores } from './memory-stores.js';

outboxContract('the memory outbox', memoryStores);

import { outboundEventStoreContract } from '../../contracts/outbound-event-store.contract.js';
import { memoryStores } from './memory-stores.js';

outboundEventStoreContract('the memory outbound event store', memoryStores);

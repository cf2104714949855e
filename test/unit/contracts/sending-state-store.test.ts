import { sendingStateStoreContract } from '../../contracts/sending-state-store.contract.js';
import { memoryStores } from './memory-stores.js';

sendingStateStoreContract('the memory sending state store', memoryStores);

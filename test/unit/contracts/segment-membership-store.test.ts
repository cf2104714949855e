import { segmentMembershipStoreContract } from '../../contracts/segment-membership-store.contract.js';
import { memoryStores } from './memory-stores.js';

segmentMembershipStoreContract('the memory segment membership store', memoryStores);

import { deliveryPolicyStoreContract } from '../../contracts/delivery-policy-store.contract.js';
import { memoryStores } from './memory-stores.js';

deliveryPolicyStoreContract('the memory delivery policy store', memoryStores);

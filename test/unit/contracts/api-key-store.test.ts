import { apiKeyStoreContract } from '../../contracts/api-key-store.contract.js';
import { memoryStores } from './memory-stores.js';

apiKeyStoreContract('the memory API key store', memoryStores);

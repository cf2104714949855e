import { auditLogContract } from '../../contracts/audit-log.contract.js';
import { memoryStores } from './memory-stores.js';

auditLogContract('the memory audit log', memoryStores);

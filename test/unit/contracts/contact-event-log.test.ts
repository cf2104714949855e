import { contactEventLogContract } from '../../contracts/contact-event-log.contract.js';
import { memoryStores } from './memory-stores.js';

contactEventLogContract('the memory event log', memoryStores);

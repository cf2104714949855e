import { contactEventLogContract } from '../../contracts/contact-event-log.contract.js';
import { dynamoStores } from './dynamo-stores.js';

contactEventLogContract('the DynamoDB event log', dynamoStores);

import { auditLogContract } from '../../contracts/audit-log.contract.js';
import { dynamoStores } from './dynamo-stores.js';

auditLogContract('the DynamoDB audit log', dynamoStores);

import { outboundEventStoreContract } from '../../contracts/outbound-event-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

outboundEventStoreContract('the DynamoDB outbound event store', dynamoStores);

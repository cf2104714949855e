import { sendingStateStoreContract } from '../../contracts/sending-state-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

sendingStateStoreContract('the DynamoDB sending state store', dynamoStores);

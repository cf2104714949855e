import { segmentMembershipStoreContract } from '../../contracts/segment-membership-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

segmentMembershipStoreContract('the DynamoDB segment membership store', dynamoStores);

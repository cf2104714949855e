import { deliveryPolicyStoreContract } from '../../contracts/delivery-policy-store.contract.js';
import { dynamoStores } from './dynamo-stores.js';

deliveryPolicyStoreContract('the DynamoDB delivery policy store', dynamoStores);

import { clickLogContract } from '../../contracts/click-log.contract.js';
import { dynamoStores } from './dynamo-stores.js';

clickLogContract('the DynamoDB click log', dynamoStores);

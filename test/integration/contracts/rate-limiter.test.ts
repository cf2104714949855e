import { rateLimiterContract } from '../../contracts/rate-limiter.contract.js';
import { dynamoStores } from './dynamo-stores.js';

rateLimiterContract('the DynamoDB rate limiter', dynamoStores);

import { rateLimiterContract } from '../../contracts/rate-limiter.contract.js';
import { memoryStores } from './memory-stores.js';

rateLimiterContract('the memory rate limiter', memoryStores);

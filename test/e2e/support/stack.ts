import { startLocalStack } from '../../../infra/local/local-stack.js';
import { api } from './api.js';
import { mailbox } from './mailbox.js';

export const adminToken = 'e2e-admin-token-0123456789';
export const partnerOrigin = 'https://shop.example.com';

/** The whole local runtime on free ports, as `npm start` runs it. */
export const startStack = async (options: { periodicSchedules?: boolean } = {}) => {
  const stack = await startLocalStack({
    port: 0,
    sesPort: 0,
    dynamoPort: 0,
    quiet: true,
    adminToken,
    env: { RAPPORT_ALLOWED_ORIGINS: partnerOrigin },
    ...options,
  });
  return { stack, http: api(stack.apiUrl, adminToken), mail: mailbox(stack.sesUrl) };
};

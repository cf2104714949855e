import { ephemeralPorts, oneMachineLoad, startLocalStack } from '../../../infra/local/local-stack.js';
import { DynamoDeliveryPolicyStore } from '../../../lib/adapters/dynamodb/dynamo-delivery-policy-store.js';
import type { Clock } from '../../../lib/ports/clock.js';
import { api } from './api.js';
import { mailbox } from './mailbox.js';
import { connectToTable } from './table.js';

export const adminToken = 'e2e-admin-token-0123456789';
/**
 * `npm run test:e2e:bundles` sets it: the same runs against the bundles `cdk synth`
 * made, with the environment their template declares (Decision 62).
 */
export const fromBundles = process.env.RAPPORT_E2E_BUNDLES === '1';
export const partnerOrigin = 'https://shop.example.com';

/** The whole local runtime on free ports, as `npm start` runs it (`npm start -- --bundles` when fromBundles). */
export const startStack = async (
  options: { periodicSchedules?: boolean; env?: Record<string, string>; clock?: Clock } = {},
) => {
  const stack = await startLocalStack({
    ...ephemeralPorts,
    quiet: true,
    adminToken,
    ...options,
    env: { RAPPORT_ALLOWED_ORIGINS: partnerOrigin, ...oneMachineLoad, ...options.env },
    bundles: fromBundles,
  });
  await liftDeliveryPolicy(stack, options.clock?.now() ?? new Date());
  return { stack, http: api(stack.apiUrl, adminToken), mail: mailbox(stack.sesUrl) };
};

/**
 * The repository's delivery policy has quiet hours, so mail in an end-to-end run
 * would wait for the morning whenever the suite runs at night. The runs replace it
 * with an empty one before anything is sent (deliver reads it on first use); the
 * policy itself is tested against an injected clock (test/integration/app/deliver-policy.test.ts).
 */
const liftDeliveryPolicy = async (
  stack: { dynamoEndpoint: string; tableName: string },
  at: Date,
): Promise<void> => {
  const { client, documentClient } = connectToTable(stack);
  try {
    await new DynamoDeliveryPolicyStore(documentClient, stack.tableName).put({}, at);
  } finally {
    client.destroy();
  }
};

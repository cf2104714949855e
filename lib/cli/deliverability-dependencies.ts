import { promises as dns } from 'node:dns';
import { SesV2AccountReader } from '../adapters/ses/ses-account-reader.js';
import type { CheckDeliverabilityDeps } from '../app/check-deliverability.js';

/**
 * The CLI's composition root for `rapport deliverability check`: SES through the
 * operator's AWS credentials, DNS through the system's resolvers. Loaded only when
 * the check runs, so the other commands do not load the SES client.
 */
export const deliverabilityDependencies = (
  env: Record<string, string | undefined>,
): CheckDeliverabilityDeps => {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return {
    ses: new SesV2AccountReader(region === undefined || region === '' ? {} : { region }),
    // Offline, each lookup gives up after a few seconds instead of c-ares's defaults.
    dns: new dns.Resolver({ timeout: 2500, tries: 2 }),
  };
};

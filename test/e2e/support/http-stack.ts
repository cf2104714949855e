import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ephemeralPorts, repoRoot, startLocalStack } from '../../../infra/local/local-stack.js';
import { topology } from '../../../infra/topology.js';
import { adminToken, partnerOrigin } from './stack.js';

/** A token for each role, as `RAPPORT_MARKETER_TOKEN` and `RAPPORT_VIEWER_TOKEN` give them. */
export const tokens = {
  admin: adminToken,
  marketer: 'e2e-marketer-token-0123456789',
  viewer: 'e2e-viewer-token-0123456789',
} as const;

/**
 * The local runtime with its HTTP functions and the content seed only: no stream
 * consumers or schedules, so nothing writes to the table but the request in flight,
 * and a test can tell what one request stored. The signup and credential limits keep
 * their defaults; callers speak from addresses of their own (test/support/raw-http.ts).
 */
export const startHttpStack = () =>
  startLocalStack({
    ...ephemeralPorts,
    quiet: true,
    adminToken: tokens.admin,
    roleTokens: { marketer: tokens.marketer, viewer: tokens.viewer },
    periodicSchedules: false,
    functions: topology.filter((spec) => spec.trigger.kind === 'http' || spec.trigger.kind === 'deployment'),
    env: { RAPPORT_ALLOWED_ORIGINS: partnerOrigin },
  });

export type HttpStack = Awaited<ReturnType<typeof startHttpStack>>;

/** The repository's definitions of one kind (`journeys`, `templates`, `segments`, `campaigns`), by id. */
export const repositoryDefinitions = async (
  folder: string,
): Promise<Map<string, Record<string, unknown>>> => {
  const definitions = new Map<string, Record<string, unknown>>();
  for (const file of (await readdir(join(repoRoot, folder)))
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    const definition = z
      .object({ id: z.string() })
      .loose()
      .parse(parse(await readFile(join(repoRoot, folder, file), 'utf8')));
    definitions.set(definition.id, definition);
  }
  return definitions;
};

const call = async (
  stack: HttpStack,
  method: string,
  path: string,
  body?: unknown,
  { existing = false }: { existing?: boolean } = {},
) => {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300 && !(existing && response.status === 409))
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text === '' ? undefined : JSON.parse(text);
};

const CreatedKey = z.object({ key: z.string(), keyId: z.string() });
const FoundContact = z.object({ contact: z.object({ id: z.string() }) });

/** What exists in the stack for requests to name: ids of every kind, and keys good and revoked. */
export interface Fixtures {
  apiKey: string;
  revokedApiKey: string;
  /** Every id a path parameter might name, of every kind (the good key's own left out, so it stays good). */
  ids: string[];
}

/** Saves the repository's segments and campaigns (if the seed did not), a product, a contact and API keys. */
export const addFixtures = async (stack: HttpStack): Promise<Fixtures> => {
  // The content seed may have saved them already.
  const segments = await repositoryDefinitions('segments');
  for (const [id, segment] of segments)
    await call(stack, 'PUT', `/admin/segments/${id}`, segment, { existing: true });
  const campaigns = await repositoryDefinitions('campaigns');
  for (const [id, campaign] of campaigns)
    await call(stack, 'PUT', `/admin/campaigns/${id}`, campaign, { existing: true });
  await call(stack, 'PUT', '/admin/products/FILTER-6M', {
    name: 'Water filter',
    category: 'home/filters',
    price: 20,
    replacementCycleDays: 180,
  });
  const good = CreatedKey.parse(await call(stack, 'POST', '/admin/api-keys', { name: 'good' }));
  const revoked = CreatedKey.parse(await call(stack, 'POST', '/admin/api-keys', { name: 'revoked' }));
  await call(stack, 'POST', `/admin/api-keys/${revoked.keyId}/revoke`);
  const spare = CreatedKey.parse(await call(stack, 'POST', '/admin/api-keys', { name: 'spare' }));
  await call(stack, 'POST', '/v1/signup', { email: 'someone@example.com', consent: true });
  const contact = FoundContact.parse(await call(stack, 'GET', '/admin/contacts?email=someone%40example.com'));
  return {
    apiKey: good.key,
    revokedApiKey: revoked.key,
    ids: [
      ...(await repositoryDefinitions('journeys')).keys(),
      ...(await repositoryDefinitions('templates')).keys(),
      ...segments.keys(),
      ...campaigns.keys(),
      'FILTER-6M',
      contact.contact.id,
      revoked.keyId,
      spare.keyId,
      '1',
    ],
  };
};

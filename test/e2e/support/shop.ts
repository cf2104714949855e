import { expect } from 'vitest';
import { runCli } from '../../../lib/cli/main.js';
import type { api } from './api.js';
import { adminToken } from './stack.js';

/**
 * A shop on the local stack: it has an ingestion key, made with the CLI as its
 * developer would, and sends its events with it; a marketer talks JSON to the
 * admin API beside it.
 */
export const aShop = async (apiUrl: string, http: ReturnType<typeof api>) => {
  const printed: string[] = [];
  await runCli(['keys', 'create', 'shop', '--api', apiUrl, '--token', adminToken, '--json'], {
    print: (text) => printed.push(text.toString()),
    env: {},
  });
  const key = String(JSON.parse(printed.join('\n')).key);
  return {
    /** Sends one event through the ingestion API; it must be accepted. */
    ingest: async (body: unknown) => {
      const response = await http.postJson('/v1/events', body, { authorization: `Bearer ${key}` });
      expect(response.status).toBe(202);
    },
    /** The admin API with the local token: the answer's status and JSON body. */
    admin: async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: await response.json() };
    },
  };
};

export type Shop = Awaited<ReturnType<typeof aShop>>;

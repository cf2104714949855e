import { z } from 'zod';
import { type AdminClient, adminClient } from '../../lib/cli/admin-client.js';

/**
 * How the demo talks to the running system: the admin API with the admin
 * token, the public API as a website and a shop backend would, the SES
 * emulator's store as a person reads their inbox, and the local runtime's own
 * /local views. Every answer is checked, so a change in the system fails the
 * demo with the route named instead of printing numbers from a wrong shape.
 */

export class DemoRequestError extends Error {
  override readonly name = 'DemoRequestError';
}

const StoredEmail = z.object({
  messageId: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ text: z.string().optional() }),
});
export type StoredEmail = z.infer<typeof StoredEmail>;

const CallResult = z.object({
  index: z.number(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  contactId: z.string().optional(),
  errors: z.record(z.string(), z.string()).optional(),
});
export const BatchAnswer = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  results: z.array(CallResult),
});
export type BatchAnswer = z.infer<typeof BatchAnswer>;

const LocalStatus = z.object({
  pollers: z.array(z.object({ settledInvocations: z.number() })),
  topics: z.object({ settledDeliveries: z.number() }),
});

export interface DemoClient {
  admin: <T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown) => Promise<T>;
  signUp(fields: { email: string; name: string; topics: string[]; form: string }): Promise<void>;
  /** Presses the button on the page the emailed link opens. */
  confirm(link: string): Promise<void>;
  batch(apiKey: string, calls: ReadonlyArray<Record<string, unknown>>): Promise<BatchAnswer>;
  emails(): Promise<StoredEmail[]>;
  /** Handler invocations the local runtime has finished: unchanged across a tick means the tick set nothing off. */
  settledInvocations(): Promise<number>;
  deadLetters(): Promise<number>;
  /** Texts the local SNS endpoint accepted. */
  smsCount(): Promise<number>;
  /** Hands an SES event notification to the local ses-feedback topic, as SES's event publishing would. */
  sesFeedback(notification: Record<string, unknown>): Promise<void>;
}

const parsed = <T>(schema: z.ZodType<T>, value: unknown, what: string): T => {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new DemoRequestError(`${what} answered in an unexpected shape: ${z.prettifyError(result.error)}`);
  return result.data;
};

const readJson = async (response: Response, what: string): Promise<unknown> => {
  const text = await response.text();
  if (!response.ok) throw new DemoRequestError(`${what} answered ${response.status}: ${text.slice(0, 500)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new DemoRequestError(`${what} answered with something other than JSON: ${text.slice(0, 200)}`);
  }
};

const localListLength = async (apiUrl: string, path: string): Promise<number> => {
  const response = await fetch(`${apiUrl}${path}`);
  return parsed(z.array(z.unknown()), await readJson(response, `GET ${path}`), `GET ${path}`).length;
};

export const demoClient = (options: { apiUrl: string; sesUrl: string; adminToken: string }): DemoClient => {
  const admin: AdminClient = adminClient({ baseUrl: options.apiUrl, token: options.adminToken });
  return {
    admin: async (schema, method, path, body) =>
      parsed(schema, await admin(method, path, body), `${method} ${path}`),
    signUp: async (fields) => {
      const response = await fetch(`${options.apiUrl}/v1/signup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...fields, consent: true }),
      });
      await readJson(response, 'POST /v1/signup');
    },
    confirm: async (link) => {
      const token = new URL(link).searchParams.get('token') ?? '';
      const response = await fetch(`${options.apiUrl}/v1/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }).toString(),
      });
      await response.text();
      if (!response.ok) throw new DemoRequestError(`POST /v1/confirm answered ${response.status}`);
    },
    batch: async (apiKey, calls) => {
      const response = await fetch(`${options.apiUrl}/v1/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ batch: calls }),
      });
      return parsed(BatchAnswer, await readJson(response, 'POST /v1/batch'), 'POST /v1/batch');
    },
    emails: async () => {
      const response = await fetch(`${options.sesUrl}/store`);
      const body = await readJson(response, 'the SES emulator (GET /store)');
      return parsed(z.object({ emails: z.array(StoredEmail) }), body, 'the SES emulator (GET /store)').emails;
    },
    settledInvocations: async () => {
      const response = await fetch(`${options.apiUrl}/local/status`);
      const status = parsed(LocalStatus, await readJson(response, 'GET /local/status'), 'GET /local/status');
      return (
        status.pollers.reduce((sum, poller) => sum + poller.settledInvocations, 0) +
        status.topics.settledDeliveries
      );
    },
    deadLetters: () => localListLength(options.apiUrl, '/local/dead-letters'),
    smsCount: () => localListLength(options.apiUrl, '/local/sms'),
    sesFeedback: async (notification) => {
      const what = 'POST /local/topics/ses-feedback';
      const response = await fetch(`${options.apiUrl}/local/topics/ses-feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notification),
      });
      const text = await response.text();
      if (!response.ok)
        throw new DemoRequestError(`${what} answered ${response.status}: ${text.slice(0, 500)}`);
    },
  };
};

/** The confirm link in an email's text, as a person would find it. */
export const confirmLinkIn = (email: StoredEmail): string | undefined =>
  /https?:\/\/[^\s"'<>]+\/v1\/confirm\?token=[A-Za-z0-9._%-]+/.exec(email.body.text ?? '')?.[0];

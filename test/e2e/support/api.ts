import { z } from 'zod';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
}

const send = async (url: string, init: RequestInit): Promise<ApiResponse> => {
  const response = await fetch(url, { redirect: 'manual', ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

export const api = (baseUrl: string, adminToken: string) => ({
  get: (path: string, headers: Record<string, string> = {}) => send(`${baseUrl}${path}`, { headers }),
  postJson: (path: string, body: unknown, headers: Record<string, string> = {}) =>
    send(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    }),
  postForm: (path: string, fields: Array<[string, string]>, headers: Record<string, string> = {}) =>
    send(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  options: (path: string, headers: Record<string, string>) =>
    send(`${baseUrl}${path}`, { method: 'OPTIONS', headers }),
  contact: async (email: string) => {
    const response = await send(`${baseUrl}/admin/contacts?email=${encodeURIComponent(email)}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    return {
      status: response.status,
      body: response.status === 200 ? AdminContact.parse(JSON.parse(response.text)) : undefined,
    };
  },
});

export const AdminContact = z.object({
  contact: z.object({
    id: z.string(),
    email: z.string(),
    consent: z.object({ email: z.object({ status: z.string() }) }),
    topics: z.array(z.string()),
    pendingTopics: z.array(z.string()),
  }),
  suppressed: z.boolean(),
  consentLog: z.array(
    z.object({
      action: z.string(),
      topics: z.array(z.string()),
      source: z.object({
        kind: z.string(),
        ip: z.string().optional(),
        userAgent: z.string().optional(),
        form: z.string().optional(),
      }),
      wordingVersion: z.string().optional(),
      utm: z.object({ source: z.string().optional() }).optional(),
    }),
  ),
  enrollments: z.array(
    z.object({
      journeyId: z.string(),
      status: z.string(),
      waiting: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

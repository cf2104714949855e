import { z } from 'zod';

/** An ingestion API key as people see it: what identifies it, never the key or its hash. */
export const ApiKeySummary = z.object({
  keyId: z.string().min(1),
  name: z.string().min(1).max(100),
  /** The last characters, so people can tell their keys apart. */
  hint: z.string(),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().optional(),
});
export type ApiKeySummary = z.infer<typeof ApiKeySummary>;

/** `GET /admin/api-keys`. */
export const ApiKeyList = z.object({ keys: z.array(ApiKeySummary) });
export type ApiKeyList = z.infer<typeof ApiKeyList>;

/** `POST /admin/api-keys`: the new key itself, answered this once and never again. */
export const NewApiKey = ApiKeySummary.extend({ key: z.string().min(1) });
export type NewApiKey = z.infer<typeof NewApiKey>;

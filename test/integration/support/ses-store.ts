import { z } from 'zod';

/** One email as the SES emulator keeps it (the shape of its `GET /store`). */
export const StoredEmail = z.object({
  messageId: z.string(),
  from: z.string(),
  destination: z.object({ to: z.array(z.string()) }),
  subject: z.string(),
  body: z.object({ html: z.string().optional(), text: z.string().optional() }),
  headers: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  /** Epoch seconds. */
  at: z.number(),
});
export type StoredEmail = z.infer<typeof StoredEmail>;

const Store = z.object({ emails: z.array(StoredEmail) });

/** Every email the emulator has accepted since it started (it is shared by all test files). */
export const readSesStore = async (sesEndpoint: string): Promise<StoredEmail[]> => {
  const response = await fetch(`${sesEndpoint}/store`);
  if (!response.ok) throw new Error(`the SES emulator answered ${response.status} for /store`);
  return Store.parse(await response.json()).emails;
};

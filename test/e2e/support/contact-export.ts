import { z } from 'zod';

/** What the e2e tests read of `GET /admin/contacts/{id}/export`: the events and the messages. */
export const ContactExport = z.object({
  events: z.array(
    z.object({ id: z.string(), type: z.string(), at: z.string(), data: z.record(z.string(), z.unknown()) }),
  ),
  messages: z.array(
    z.object({
      journeyId: z.string().optional(),
      nodeId: z.string().optional(),
      status: z.string(),
      skipReason: z.string().optional(),
    }),
  ),
});
export type ContactExport = z.infer<typeof ContactExport>;

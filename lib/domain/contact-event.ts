import { z } from 'zod';

export const ContactEventType = z.enum(['signup_confirmed', 'unsubscribed', 'topics_changed', 'timer']);
export type ContactEventType = z.infer<typeof ContactEventType>;

/** Everything that can move a journey arrives as one of these, written to the table. */
export const ContactEvent = z.object({
  id: z.string().min(1),
  contactId: z.string().min(1),
  type: ContactEventType,
  at: z.iso.datetime(),
  data: z.record(z.string(), z.unknown()),
});
export type ContactEvent = z.infer<typeof ContactEvent>;

import { z } from 'zod';
import { MessageKind } from './message.js';

/**
 * An email template: Liquid for subject, text and the MJML body. The body is
 * placed inside the shared layout, which adds the compliance footer to marketing mail.
 */
export const EmailTemplate = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  kind: MessageKind,
  subject: z.string().min(1),
  text: z.string().min(1),
  mjml: z.string().min(1),
  /** Text shown in inbox previews. */
  preheader: z.string().optional(),
});
export type EmailTemplate = z.infer<typeof EmailTemplate>;

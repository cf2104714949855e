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
  /**
   * Products picked for the contact, as `recommendations` in the template
   * (`{% for item in recommendations %}`). `skip_unless` skips the message when
   * there is nothing of that kind to show: `new-in-category` for "new books in
   * your categories", `any` for any pick at all.
   */
  recommendations: z
    .object({
      limit: z.number().int().min(1).max(20).default(6),
      skip_unless: z.enum(['any', 'new-in-category']).optional(),
    })
    .optional(),
});
export type EmailTemplate = z.infer<typeof EmailTemplate>;

export type RecommendationWish = NonNullable<EmailTemplate['recommendations']>;

/**
 * Whether a message that asks for recommendations has what it needs to be sent:
 * with `skip_unless: new-in-category` at least one new release in the contact's
 * categories, with `any` at least one pick. Deliver and the simulation both ask this.
 */
export const recommendationsSuffice = (
  wish: RecommendationWish | undefined,
  items: ReadonlyArray<{ reason: string }>,
): boolean =>
  wish?.skip_unless === undefined ||
  (wish.skip_unless === 'any' ? items.length > 0 : items.some((item) => item.reason === 'new-in-category'));

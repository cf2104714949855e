import { z } from 'zod';
import { EventSnapshot, TriggerSnapshot } from '../domain/enrollment.js';
import { RecommendedItem } from '../domain/recommendations.js';

const link = z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' });

/** What a template can see. Templates read it as `contact.name`, `links.unsubscribe`, `data.x`, … */
export const RenderInput = z.object({
  /** Extra profile attributes pass through so templates can use them. */
  contact: z.looseObject({
    email: z.string().min(3),
    name: z.string().optional(),
    topics: z.array(z.string()),
    /** The zone and language dates are shown in (`local_date`). */
    timeZone: z.string().optional(),
    locale: z.string().optional(),
  }),
  links: z.object({
    unsubscribe: link.optional(),
    preferences: link.optional(),
    confirm: link.optional(),
  }),
  postalAddress: z.string().min(1),
  sender: z.object({ name: z.string().min(1) }),
  /** Anything else the message carries, e.g. the triggering event's data. */
  data: z.record(z.string(), z.unknown()).optional(),
  /** A journey message: the event that started the enrollment, with its `for_each` element as `trigger.item`. */
  trigger: TriggerSnapshot.optional(),
  /** A journey message: the event that moved the enrollment to this send. */
  event: EventSnapshot.optional(),
  /** Products picked for the contact, when the template asks for them. */
  recommendations: z.array(RecommendedItem).optional(),
});
export type RenderInput = z.infer<typeof RenderInput>;

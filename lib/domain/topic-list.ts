import { z } from 'zod';

/** A topic a contact can pick, and the words the signup page, the preference center and emails show for it. */
export const Topic = z.object({ id: z.string().min(1), label: z.string().min(1) });
export type Topic = z.infer<typeof Topic>;

/** `GET /admin/topics`: the configured topics (the TOPICS setting), in the order pages list them. */
export const TopicList = z.object({ topics: z.array(Topic) });
export type TopicList = z.infer<typeof TopicList>;

import type { Topic, TopicList } from '../domain/topic-list.js';

/** The topics contacts can pick, as configured for the deployment, in the order its pages list them. */
export const listTopics = (deps: { topics: readonly Topic[] }): TopicList => ({
  topics: deps.topics.map(({ id, label }) => ({ id, label })),
});

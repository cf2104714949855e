/** Labels by topic id, as configured (the TOPICS setting, see lib/config/topics-setting.ts). */
export type TopicLabels = ReadonlyMap<string, string>;

/** A topic id in words: 'product-updates' → 'Product updates'. What a topic reads as without a label. */
export const labelFromId = (id: string): string => {
  const words = id.split(/[-_]+/).filter((word) => word.length > 0);
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
};

/**
 * A topic as people read it: its configured label, else its id in words. A contact may
 * still hold a topic since dropped from the setting, and it must still read as something.
 */
export const topicLabel = (id: string, labels?: TopicLabels): string => labels?.get(id) ?? labelFromId(id);

export const topicLabelsOf = (topics: ReadonlyArray<{ id: string; label: string }>): TopicLabels =>
  new Map(topics.map((topic) => [topic.id, topic.label]));

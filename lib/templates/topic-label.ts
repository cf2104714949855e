/** A topic id as people read it: 'product-updates' → 'Product updates'. */
export const topicLabel = (id: string): string => {
  const words = id.split(/[-_]+/).filter((word) => word.length > 0);
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
};

import { z } from 'zod';
import { hasControlCharacters } from '../domain/control-characters.js';
import type { Topic } from '../domain/topic-list.js';
import { labelFromId } from '../templates/topic-label.js';

export type { Topic } from '../domain/topic-list.js';

const topicId = /^[a-z0-9-]+$/;
const labelMax = 100;

/**
 * The topics and their labels, in the order pages list them. One setting for the
 * functions (TOPICS) and the stack (rapport:topics), in any of three forms:
 *
 * - `newsletter,offers`: ids only; each reads as its id in words ("Newsletter");
 * - `newsletter=Our newsletter,offers=Offers`: ids with labels (mixing both is fine);
 * - `{"newsletter":"Our newsletter","offers":"Offers, deals"}`: JSON, for a label with
 *   a comma or `=`; cdk.json may hold it as an object.
 */
export const TopicsSetting = z
  .union([z.string(), z.record(z.string(), z.unknown())], {
    error: 'must be topics as newsletter=Our newsletter,offers=Offers or a JSON object of labels',
  })
  .transform((value, ctx): Topic[] => {
    const entries = entriesOf(value);
    if (typeof entries === 'string') {
      ctx.addIssue({ code: 'custom', message: entries });
      return z.NEVER;
    }
    const problems: string[] = [];
    const seen = new Set<string>();
    const topics = entries.map(([id, given]): Topic => {
      if (!topicId.test(id)) problems.push(`topic "${id}" must be lowercase letters, digits and -`);
      if (seen.has(id)) problems.push(`topic "${id}" is listed twice`);
      seen.add(id);
      if (given === undefined) return { id, label: labelFromId(id) };
      const label = typeof given === 'string' ? given.trim() : '';
      if (label === '') problems.push(`topic "${id}" needs a label of text after it`);
      else if (label.length > labelMax || hasControlCharacters(label))
        problems.push(`the label of topic "${id}" must be one line of at most ${labelMax} characters`);
      return { id, label };
    });
    if (topics.length === 0) problems.push('must name at least one topic');
    for (const message of problems) ctx.addIssue({ code: 'custom', message });
    return problems.length === 0 ? topics : z.NEVER;
  });
export type TopicsSetting = z.infer<typeof TopicsSetting>;

/** The setting as [id, label] pairs (label undefined: none given), or what is wrong with its form. */
const entriesOf = (value: string | Record<string, unknown>): Array<[string, unknown]> | string => {
  if (typeof value !== 'string') return Object.entries(value).map(([id, label]) => [id.trim(), label]);
  const text = value.trim();
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return `is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    }
    const labels = z.record(z.string(), z.unknown()).safeParse(parsed);
    return labels.success ? entriesOf(labels.data) : 'must be a JSON object of labels by topic';
  }
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .map((part): [string, unknown] => {
      const equals = part.indexOf('=');
      return equals === -1 ? [part, undefined] : [part.slice(0, equals).trim(), part.slice(equals + 1)];
    });
};

/** What the functions use when TOPICS is unset. */
export const defaultTopics: readonly Topic[] = ['newsletter', 'product-updates', 'recommendations'].map(
  (id) => ({ id, label: labelFromId(id) }),
);

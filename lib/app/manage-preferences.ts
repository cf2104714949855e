import { z } from 'zod';
import type { ConsentSource } from '../domain/consent-entry.js';
import type { Contact } from '../domain/contact.js';
import { ValidationError } from '../domain/errors.js';
import { fieldErrors } from '../domain/signup-form.js';
import { recordConsentChange } from './record-consent-change.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { TokenLinkDeps } from './token-links.js';
import { contactFromLink } from './token-links.js';
import type { UnsubscribeDeps } from './unsubscribe.js';
import { unsubscribeContact } from './unsubscribe.js';

export interface PreferencesDeps extends UnsubscribeDeps {
  topics: readonly string[];
}

export const showPreferences = (deps: TokenLinkDeps, token: string): Promise<Contact> =>
  contactFromLink(deps, token, 'preferences');

const preferencesForm = (topics: readonly string[]) =>
  z.object({
    action: z.enum(['save', 'unsubscribe-all'], { error: 'must be "save" or "unsubscribe-all"' }),
    topics: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((value) => [...new Set(value === undefined ? [] : [value].flat())])
      .pipe(z.array(z.enum(topics, { error: (issue) => `unknown topic "${String(issue.input)}"` }))),
  });

/**
 * The preference center's POST. Saving topics from a link that reached the
 * contact's own mailbox is consent enough to come back after unsubscribing.
 */
export const updatePreferences = (
  deps: PreferencesDeps,
  request: { token: string; form: unknown; source: Omit<ConsentSource, 'kind'> },
): Promise<Contact> =>
  retryOnConflict(async () => {
    const contact = await contactFromLink(deps, request.token, 'preferences');
    const parsed = preferencesForm(deps.topics).safeParse(request.form);
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
    const source = { ...request.source, kind: 'preference-center' } as const;
    if (parsed.data.action === 'unsubscribe-all') return unsubscribeContact(deps, contact, source);

    const topics = parsed.data.topics;
    const resubscribing = contact.consent.email.status !== 'subscribed';
    const sameTopics =
      topics.length === contact.topics.length && topics.every((t) => contact.topics.includes(t));
    if (!resubscribing && sameTopics) return contact;
    return recordConsentChange(deps, contact, {
      action: resubscribing ? 'confirmed' : 'topics-changed',
      source,
      topics,
      ...(resubscribing ? { emailStatus: 'subscribed' as const } : {}),
      event: { type: 'topics_changed', data: { topics } },
    });
  });

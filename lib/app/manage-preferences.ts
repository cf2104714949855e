import { z } from 'zod';
import { applyConsentCommand } from '../domain/consent.js';
import type { ConsentSource } from '../domain/consent-entry.js';
import type { Contact } from '../domain/contact.js';
import { withEngagement } from '../domain/engagement.js';
import { ValidationError } from '../domain/errors.js';
import { fieldErrors } from '../domain/signup-form.js';
import { recordConsentChange } from './record-consent-change.js';
import { engagementChange } from './record-engagement.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { TokenLinkDeps } from './token-links.js';
import { contactFromLink } from './token-links.js';
import type { UnsubscribeDeps } from './unsubscribe.js';
import { unsubscribeContact } from './unsubscribe.js';

export interface PreferencesDeps extends UnsubscribeDeps {
  topics: readonly string[];
  /** A contact who asked for a confirmation gets the next one only after this long (as at signup). */
  confirmationResendAfterMs: number;
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

export type PreferencesOutcome =
  | { outcome: 'saved' | 'unchanged'; contact: Contact }
  /** Not subscribed: the topics wait for a fresh double opt-in, mailed to the address. */
  | { outcome: 'confirmation-sent'; contact: Contact };

/**
 * The preference center's POST. A subscribed contact's topics change at once.
 * Anyone else (unsubscribed, or never confirmed) who asks for topics is sent a
 * fresh confirmation instead: a preferences link may have been forwarded, and
 * may be up to 90 days old, so it is no proof that the person wants mail again.
 */
export const updatePreferences = (
  deps: PreferencesDeps,
  request: { token: string; form: unknown; source: Omit<ConsentSource, 'kind'> },
): Promise<PreferencesOutcome> =>
  retryOnConflict(async () => {
    const contact = await contactFromLink(deps, request.token, 'preferences');
    const parsed = preferencesForm(deps.topics).safeParse(request.form);
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
    const source = { ...request.source, kind: 'preference-center' } as const;
    if (parsed.data.action === 'unsubscribe-all') {
      const after = await unsubscribeContact(deps, contact, source);
      return { outcome: after === contact ? 'unchanged' : 'saved', contact: after };
    }
    const topics = parsed.data.topics;
    if (contact.consent.email.status !== 'subscribed') {
      if (topics.length === 0) return { outcome: 'unchanged', contact };
      return {
        outcome: 'confirmation-sent',
        contact: await requestConfirmation(deps, contact, topics, source),
      };
    }
    // A subscriber saving their preferences is engagement, even when nothing else changes.
    const now = deps.clock.now();
    const sameTopics =
      topics.length === contact.topics.length && topics.every((t) => contact.topics.includes(t));
    if (sameTopics) {
      const change = engagementChange(contact, now.toISOString(), now);
      if (change !== undefined) await deps.contacts.update(change);
      return { outcome: 'unchanged', contact: change?.contact ?? contact };
    }
    return {
      outcome: 'saved',
      contact: await recordConsentChange(deps, withEngagement(contact, now.toISOString()), {
        action: 'topics-changed',
        source,
        topics,
        event: { type: 'topics_changed', data: { topics } },
      }),
    };
  });

/** Back to pending with the topics asked for; the confirmation link grants them. At most one email per resend interval. */
const requestConfirmation = async (
  deps: PreferencesDeps,
  contact: Contact,
  topics: string[],
  source: ConsentSource,
): Promise<Contact> => {
  const transition = applyConsentCommand(contact.consent.email.status, 'request');
  if (transition.outcome === 'refused') return contact;
  const lastAsked =
    contact.confirmationRequestedAt === undefined ? 0 : Date.parse(contact.confirmationRequestedAt);
  const askedLately = deps.clock.now().getTime() - lastAsked < deps.confirmationResendAfterMs;
  if (transition.outcome === 'unchanged' && askedLately) return contact;
  return recordConsentChange(deps, contact, {
    action: 'requested',
    source,
    emailStatus: 'pending',
    pendingTopics: topics,
    requestsConfirmation: true,
  });
};

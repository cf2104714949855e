import { applyConsentCommand } from '../domain/consent.js';
import type { ConsentSource } from '../domain/consent-entry.js';
import { LinkNoLongerValidError } from '../domain/errors.js';
import type { IdGenerator } from '../ports/id-generator.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { TokenLinkDeps } from './token-links.js';
import { contactFromLink } from './token-links.js';

export interface ConfirmDeps extends TokenLinkDeps {
  ids: IdGenerator;
}

export type ConfirmOutcome = { outcome: 'confirmed' | 'already-confirmed'; contactId: string };

/**
 * Double opt-in's second step. Writes the new state, the consent entry and the
 * `signup_confirmed` event in one transaction: the event is what starts journeys.
 */
export const confirmSubscription = (
  deps: ConfirmDeps,
  request: { token: string; source: Omit<ConsentSource, 'kind'> },
): Promise<ConfirmOutcome> =>
  retryOnConflict(async () => {
    const contact = await contactFromLink(deps, request.token, 'confirm');
    const transition = applyConsentCommand(contact.consent.email.status, 'confirm');
    if (transition.outcome === 'refused') {
      throw new LinkNoLongerValidError('this confirmation link no longer applies; please sign up again');
    }
    if (transition.outcome === 'unchanged') return { outcome: 'already-confirmed', contactId: contact.id };
    const now = deps.clock.now();
    const at = now.toISOString();
    await deps.contacts.update({
      contact: {
        ...contact,
        consent: { ...contact.consent, email: { status: 'subscribed', changedAt: at } },
        topics: contact.pendingTopics,
        pendingTopics: [],
        updatedAt: at,
        version: contact.version + 1,
      },
      expectedVersion: contact.version,
      consent: [
        {
          id: deps.ids.next(),
          contactId: contact.id,
          at,
          channel: 'email',
          action: 'confirmed',
          topics: contact.pendingTopics,
          source: { kind: 'confirmation-page', ...request.source },
        },
      ],
      events: [
        {
          id: deps.ids.next(),
          contactId: contact.id,
          type: 'signup_confirmed',
          at,
          data: { topics: contact.pendingTopics, channel: 'email' },
        },
      ],
      messages: [],
    });
    return { outcome: 'confirmed', contactId: contact.id };
  });

import { applyConsentCommand } from '../domain/consent.js';
import type { ConsentSource } from '../domain/consent-entry.js';
import type { Contact } from '../domain/contact.js';
import type { IdGenerator } from '../ports/id-generator.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { TokenLinkDeps } from './token-links.js';
import { contactFromLink } from './token-links.js';

export interface UnsubscribeDeps extends TokenLinkDeps {
  ids: IdGenerator;
}

type Source = Omit<ConsentSource, 'kind'> & { kind: 'unsubscribe-link' | 'preference-center' };

/**
 * Takes the contact off all marketing email at once. Safe to repeat: a second
 * POST (mail clients retry one-click requests) writes nothing.
 */
export const unsubscribeContact = async (
  deps: UnsubscribeDeps,
  contact: Contact,
  source: Source,
): Promise<Contact> => {
  const transition = applyConsentCommand(contact.consent.email.status, 'unsubscribe');
  if (transition.outcome !== 'changed') return contact;
  const at = deps.clock.now().toISOString();
  const updated: Contact = {
    ...contact,
    consent: { ...contact.consent, email: { status: 'unsubscribed', changedAt: at } },
    updatedAt: at,
    version: contact.version + 1,
  };
  await deps.contacts.update({
    contact: updated,
    expectedVersion: contact.version,
    consent: [
      {
        id: deps.ids.next(),
        contactId: contact.id,
        at,
        channel: 'email',
        action: 'unsubscribed',
        topics: contact.topics,
        source,
      },
    ],
    events: [
      { id: deps.ids.next(), contactId: contact.id, type: 'unsubscribed', at, data: { channel: 'email' } },
    ],
    messages: [],
  });
  return updated;
};

export const unsubscribe = (
  deps: UnsubscribeDeps,
  request: { token: string; source: Omit<ConsentSource, 'kind'> },
): Promise<Contact> =>
  retryOnConflict(async () => {
    const contact = await contactFromLink(deps, request.token, 'unsubscribe');
    return unsubscribeContact(deps, contact, { ...request.source, kind: 'unsubscribe-link' });
  });

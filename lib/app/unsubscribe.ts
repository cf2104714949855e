import { applyConsentCommand } from '../domain/consent.js';
import type { ConsentSource } from '../domain/consent-entry.js';
import type { Contact } from '../domain/contact.js';
import type { ConsentChangeDeps } from './record-consent-change.js';
import { recordConsentChange } from './record-consent-change.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { TokenLinkDeps } from './token-links.js';
import { contactFromLink } from './token-links.js';

export type UnsubscribeDeps = TokenLinkDeps & ConsentChangeDeps;

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
  return recordConsentChange(deps, contact, {
    action: 'unsubscribed',
    source,
    emailStatus: transition.status,
    event: { type: 'unsubscribed', data: { channel: 'email' } },
  });
};

export const unsubscribe = (
  deps: UnsubscribeDeps,
  request: { token: string; source: Omit<ConsentSource, 'kind'> },
): Promise<Contact> =>
  retryOnConflict(async () => {
    const contact = await contactFromLink(deps, request.token, 'unsubscribe');
    return unsubscribeContact(deps, contact, { ...request.source, kind: 'unsubscribe-link' });
  });

import type { Contact } from '../domain/contact.js';
import { LinkNoLongerValidError } from '../domain/errors.js';
import type { TokenClaims, TokenKeys, TokenPurpose } from '../domain/tokens.js';
import { verifyToken } from '../domain/tokens.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';

export interface TokenLinkDeps {
  contacts: ContactStore;
  clock: Clock;
  tokenKeys: TokenKeys;
}

/**
 * Verifies a link's token and loads its contact. A valid token for a contact that
 * no longer exists (erased) is a link that no longer works, not a server error.
 */
export const contactFromLink = async (
  deps: TokenLinkDeps,
  token: string,
  purpose: TokenPurpose,
): Promise<Contact> => (await linkOf(deps, token, purpose)).contact;

/** The contact and what else the link's token says (the message it came in). */
export const linkOf = async (
  deps: TokenLinkDeps,
  token: string,
  purpose: TokenPurpose,
): Promise<{ contact: Contact; claims: TokenClaims }> => {
  const claims = verifyToken(deps.tokenKeys, token, purpose, deps.clock.now());
  const contact = await deps.contacts.get(claims.contactId);
  if (contact === undefined) throw new LinkNoLongerValidError('this contact no longer exists');
  return { contact, claims };
};

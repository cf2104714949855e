import type { ConfirmationsAllowed } from '../domain/confirmation-limits.js';
import type { Contact } from '../domain/contact.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import { contactById } from './look-up-contact.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface AllowConfirmationsDeps {
  contacts: ContactStore;
  clock: Clock;
}

/**
 * An admin's reset of the signup form's limit for one address, after the person asked
 * (by phone, in the shop) why no confirmation arrives. The wait between two emails
 * still applies; only the count of unanswered ones starts again.
 */
export const allowConfirmations = (
  deps: AllowConfirmationsDeps,
  contactId: string,
): Promise<ConfirmationsAllowed> =>
  retryOnConflict(async () => {
    const contact = await contactById(deps.contacts, contactId);
    const unansweredBefore = contact.unansweredConfirmations ?? 0;
    if (unansweredBefore === 0) return { contactId, unansweredBefore, version: contact.version };
    const updated: Contact = {
      ...contact,
      unansweredConfirmations: 0,
      updatedAt: deps.clock.now().toISOString(),
      version: contact.version + 1,
    };
    await deps.contacts.update({
      contact: updated,
      expectedVersion: contact.version,
      consent: [],
      events: [],
      messages: [],
    });
    return { contactId, unansweredBefore, version: updated.version };
  });

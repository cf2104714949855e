import type { Contact } from '../domain/contact.js';
import { engagementNeedsWrite, withEngagement } from '../domain/engagement.js';
import type { ContactChange, ContactStore } from '../ports/contact-store.js';
import { retryOnConflict } from './retry-on-conflict.js';

export type EngagementOutcome =
  | 'recorded'
  /** The stored date is within the hour before this one, or later: nothing was written. */
  | 'recent'
  /** No such contact (erased, or a tag from another system). */
  | 'missing';

/** The write that records an engagement on its own, or undefined when the stored date makes it needless. */
export const engagementChange = (contact: Contact, at: string, now: Date): ContactChange | undefined =>
  engagementNeedsWrite(contact.lastEngagedAt, at)
    ? {
        contact: {
          ...withEngagement(contact, at),
          updatedAt: now.toISOString(),
          version: contact.version + 1,
        },
        expectedVersion: contact.version,
        consent: [],
        events: [],
        messages: [],
      }
    : undefined;

/**
 * Records an engagement that nothing else writes the profile for (an open or a
 * click reported by SES): guarded by the profile's version, so it never undoes
 * a change made since the read, and re-read on a conflict.
 */
export const recordEngagement = (
  deps: { contacts: Pick<ContactStore, 'get' | 'update'> },
  contactId: string,
  at: string,
  now: Date,
): Promise<EngagementOutcome> =>
  retryOnConflict(async () => {
    const contact = await deps.contacts.get(contactId);
    if (contact === undefined) return 'missing';
    const change = engagementChange(contact, at, now);
    if (change === undefined) return 'recent';
    await deps.contacts.update(change);
    return 'recorded';
  });

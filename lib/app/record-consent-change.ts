import type { ConsentAction, ConsentSource } from '../domain/consent-entry.js';
import type { ConsentStatus, Contact } from '../domain/contact.js';
import type { ContactEventType } from '../domain/contact-event.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { IdGenerator } from '../ports/id-generator.js';

export interface ConsentChangeDeps {
  contacts: ContactStore;
  clock: Clock;
  ids: IdGenerator;
}

export interface ConsentChange {
  action: ConsentAction;
  source: ConsentSource;
  /** The email channel's new status; absent when only topics change. */
  emailStatus?: ConsentStatus;
  topics?: string[];
  pendingTopics?: string[];
  /** The event journeys see, e.g. `signup_confirmed`. */
  event: { type: ContactEventType; data: Record<string, unknown> };
}

/**
 * One consent change, written atomically: the new profile (only if nobody wrote
 * it since it was read), its consent-log entry, and the event that lets journeys react.
 */
export const recordConsentChange = async (
  deps: ConsentChangeDeps,
  contact: Contact,
  change: ConsentChange,
): Promise<Contact> => {
  const at = deps.clock.now().toISOString();
  const updated: Contact = {
    ...contact,
    consent:
      change.emailStatus === undefined
        ? contact.consent
        : { ...contact.consent, email: { status: change.emailStatus, changedAt: at } },
    topics: change.topics ?? contact.topics,
    pendingTopics: change.pendingTopics ?? contact.pendingTopics,
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
        action: change.action,
        topics: updated.topics,
        source: change.source,
      },
    ],
    events: [
      { id: deps.ids.next(), contactId: contact.id, type: change.event.type, at, data: change.event.data },
    ],
    messages: [],
  });
  return updated;
};

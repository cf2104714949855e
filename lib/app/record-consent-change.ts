import type { ConsentAction, ConsentSource } from '../domain/consent-entry.js';
import type { Channel, ConsentStatus, Contact } from '../domain/contact.js';
import type { ContactEventType } from '../domain/contact-event.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { IdGenerator } from '../ports/id-generator.js';
import { confirmationMessage } from './confirmation-message.js';

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
  /** The SMS channel's new status, logged as an entry of its own (channel `sms`). */
  smsStatus?: ConsentStatus;
  topics?: string[];
  pendingTopics?: string[];
  /** Why, in the log entry (e.g. what list an opt-out was found on). */
  reason?: string;
  /** Queue a new double opt-in email for the change (keyed by its email log entry) and note when it was asked. */
  requestsConfirmation?: boolean;
  /** The event journeys see, e.g. `signup_confirmed`; none for an SMS-only change (journeys exit on email unsubscribes). */
  event?: { type: ContactEventType; data: Record<string, unknown> };
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
  // A confirmed address has answered: the signup form may ask it again later (it left and comes back).
  const { unansweredConfirmations, ...answered } = contact;
  const updated: Contact = {
    ...(change.emailStatus === 'subscribed' ? answered : contact),
    consent: {
      email:
        change.emailStatus === undefined
          ? contact.consent.email
          : { status: change.emailStatus, changedAt: at },
      sms: change.smsStatus === undefined ? contact.consent.sms : { status: change.smsStatus, changedAt: at },
    },
    topics: change.topics ?? contact.topics,
    pendingTopics: change.pendingTopics ?? contact.pendingTopics,
    ...(change.requestsConfirmation === true ? { confirmationRequestedAt: at } : {}),
    updatedAt: at,
    version: contact.version + 1,
  };
  // An SMS-only change (a STOP) logs on the SMS channel alone; everything else logs on email as before.
  const channels: Channel[] = [
    ...(change.emailStatus !== undefined || change.smsStatus === undefined ? ['email' as const] : []),
    ...(change.smsStatus === undefined ? [] : ['sms' as const]),
  ];
  const entries = channels.map((channel) => ({
    id: deps.ids.next(),
    contactId: contact.id,
    at,
    channel,
    action: change.action,
    // A request logs what was asked for; everything else what the contact now holds.
    topics:
      channel === 'email' ? (change.action === 'requested' ? updated.pendingTopics : updated.topics) : [],
    source: change.source,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
  }));
  const emailEntry = entries.find((entry) => entry.channel === 'email');
  await deps.contacts.update({
    contact: updated,
    expectedVersion: contact.version,
    consent: entries,
    events:
      change.event === undefined
        ? []
        : [
            {
              id: deps.ids.next(),
              contactId: contact.id,
              type: change.event.type,
              at,
              data: change.event.data,
            },
          ],
    messages:
      change.requestsConfirmation === true && emailEntry !== undefined
        ? [confirmationMessage(contact.id, emailEntry.id, new Date(at))]
        : [],
  });
  return updated;
};

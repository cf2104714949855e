import type { ConsentEntry } from '../../domain/consent-entry.js';
import type { Contact } from '../../domain/contact.js';
import type { ContactEvent } from '../../domain/contact-event.js';
import type { Enrollment } from '../../domain/enrollment.js';
import type { Message } from '../../domain/message.js';
import type { OutboundEvent } from '../../domain/outbound-event.js';
import { keys, listIndexKeys } from './keys.js';
import type { TransactItem } from './transactions.js';

/**
 * The `type` attribute on every item: stream filters and readers of a raw table
 * tell items apart by it rather than by parsing keys.
 */
export type ItemType =
  | 'contact'
  | 'identity'
  | 'consent'
  | 'event'
  | 'enrollment'
  | 'entered'
  | 'active'
  | 'message'
  | 'outbound-event'
  | 'journey-version'
  | 'journey-pointer'
  | 'journey-draft'
  | 'template-version'
  | 'template-pointer'
  | 'template-draft'
  | 'suppression'
  | 'soft-bounce'
  | 'stat'
  | 'timer'
  | 'timer-cursor'
  | 'config'
  | 'journey-job'
  | 'erasure'
  | 'product'
  | 'category-release'
  | 'dedupe'
  | 'order'
  | 'api-key'
  | 'click'
  | 'co-purchase'
  | 'segment-membership'
  | 'segment'
  | 'campaign'
  | 'campaign-recipient'
  | 'campaign-chunk'
  | 'audit-entry'
  | 'rate-window'
  | 'dead-letter';

export const mustNotExist = 'attribute_not_exists(PK)';

export const putNew = (tableName: string, item: Record<string, unknown>): TransactItem => ({
  Put: { TableName: tableName, Item: item, ConditionExpression: mustNotExist },
});

/**
 * Writes a draft only over the revision that was read (or where there was none),
 * so a save made in between is refused instead of silently overwritten.
 */
export const putOverRevision = (
  tableName: string,
  item: Record<string, unknown>,
  readRevision: number | undefined,
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: item,
    ...(readRevision === undefined
      ? { ConditionExpression: mustNotExist }
      : { ConditionExpression: 'revision = :read', ExpressionAttributeValues: { ':read': readRevision } }),
  },
});

export const consentItem = (entry: ConsentEntry) => ({
  ...keys.consentEntry(entry.contactId, entry.at, entry.id),
  type: 'consent' satisfies ItemType,
  ...entry,
});

/**
 * An event has a `type` of its own (signup_confirmed, …); the item's `type` must
 * stay 'event' like every other item's kind, so the event's goes in `eventType`.
 */
export const eventItem = ({ type: eventType, ...event }: ContactEvent) => ({
  ...keys.event(event.contactId, event.id),
  ...event,
  type: 'event' satisfies ItemType,
  eventType,
});

/** Undoes eventItem; the caller validates the result. */
export const eventFromItem = (item: Record<string, unknown>): Record<string, unknown> => {
  const { eventType, ...rest } = item;
  return { ...rest, type: eventType };
};

export const messageItem = (message: Message) => ({
  ...keys.message(message.contactId, message.key),
  type: 'message' satisfies ItemType,
  ...message,
});

export const outboundEventItem = (event: OutboundEvent) => ({
  ...keys.outboundEvent(event.contactId, event.id),
  type: 'outbound-event' satisfies ItemType,
  ...event,
});

/** The profile, listed in the index's contacts list so jobs can walk every contact. */
export const profileItem = (contact: Contact) => ({
  ...keys.contact(contact.id),
  type: 'contact' satisfies ItemType,
  ...contact,
  ...listIndexKeys.contact(contact.id),
});

/** A lookup (email, phone, the shop's user id) pointing at its contact. */
export const identityItem = (key: { PK: string; SK: string }, contactId: string) => ({
  ...key,
  type: 'identity' satisfies ItemType,
  contactId,
});

/** An enrollment; only an active one carries the index keys of its journey's running list. */
export const enrollmentItem = (enrollment: Enrollment) => ({
  ...keys.enrollment(enrollment.contactId, enrollment.journeyId, enrollment.id),
  type: 'enrollment' satisfies ItemType,
  ...enrollment,
  ...(enrollment.status === 'active'
    ? listIndexKeys.activeEnrollment(enrollment.journeyId, enrollment.contactId, enrollment.id)
    : {}),
});

/** The marker of a contact's entry into a journey (re-entry `never`, or a cooldown from `at`). */
export const enteredItem = (enrollment: Enrollment) => ({
  ...keys.entered(enrollment.contactId, enrollment.journeyId),
  type: 'entered' satisfies ItemType,
  contactId: enrollment.contactId,
  journeyId: enrollment.journeyId,
  enrollmentId: enrollment.id,
  at: enrollment.enteredAt,
});

/** Held while an enrollment of a journey that allows one at a time runs. */
export const activeItem = (enrollment: Enrollment) => ({
  ...keys.active(enrollment.contactId, enrollment.journeyId),
  type: 'active' satisfies ItemType,
  enrollmentId: enrollment.id,
});

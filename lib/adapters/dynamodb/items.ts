import type { ConsentEntry } from '../../domain/consent-entry.js';
import type { ContactEvent } from '../../domain/contact-event.js';
import type { Message } from '../../domain/message.js';
import type { OutboundEvent } from '../../domain/outbound-event.js';
import { keys } from './keys.js';
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
  | 'co-purchase';

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

import type { ContactEvent } from '../../domain/contact-event.js';
import type { Order } from '../../domain/order.js';
import type { DedupeMark, IdentityClaim } from '../../ports/ingestion-store.js';
import type { ItemType } from './items.js';
import { keys, listIndexKeys, ttlAttribute } from './keys.js';

export const claimKey = (claim: Pick<IdentityClaim, 'kind' | 'value'>) =>
  claim.kind === 'email' ? keys.emailIdentity(claim.value) : keys.externalIdentity(claim.value);

/** Seen once: a second call with the same message or order id finds it. Expires by TTL. */
export const dedupeItem = (mark: DedupeMark, event: Pick<ContactEvent, 'contactId' | 'id'>) => ({
  ...keys.dedupe(mark.kind, mark.id),
  type: 'dedupe' satisfies ItemType,
  contactId: event.contactId,
  eventId: event.id,
  [ttlAttribute]: mark.expiresAt,
});

/** The order as received, listed under the day it was placed (its own `at`, UTC). */
export const orderItem = (contactId: string, order: Order) => ({
  ...keys.order(contactId, order.orderId),
  type: 'order' satisfies ItemType,
  ...order,
  ...listIndexKeys.orderOnDay(order.at.slice(0, 10), contactId, order.orderId),
});

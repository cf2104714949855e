import type { PartitionGroup } from '../../domain/contact-export.js';
import type { IdentityKind } from '../../ports/personal-data-store.js';
import { eventFromItem } from './items.js';
import { keys, listIndex } from './keys.js';
import { segmentMembershipPrefix } from './segment-membership-items.js';

/** The lookup item of an identity. */
export const identityKey = (kind: IdentityKind, value: string) => {
  switch (kind) {
    case 'email':
      return keys.emailIdentity(value);
    case 'phone':
      return keys.phoneIdentity(value);
    case 'user':
      return keys.externalIdentity(value);
  }
};

/** By sort key, because the keys are the table's contract; an unknown prefix is `other`, never dropped. */
const prefixes: ReadonlyArray<readonly [string, PartitionGroup]> = [
  [keys.consentPrefix, 'consentLog'],
  [keys.eventPrefix, 'events'],
  [keys.enrollmentPrefix, 'enrollments'],
  [keys.enteredPrefix, 'markers'],
  [keys.activePrefix, 'markers'],
  [segmentMembershipPrefix, 'markers'],
  [keys.messagePrefix, 'messages'],
  [keys.outboundEventPrefix, 'outboundEvents'],
  [keys.orderPrefix, 'orders'],
  [keys.clickPrefix, 'clicks'],
];

export const groupOf = (sortKey: string): PartitionGroup => {
  if (sortKey === keys.contact('').SK) return 'profile';
  return prefixes.find(([prefix]) => sortKey.startsWith(prefix))?.[1] ?? 'other';
};

/** Where an item lives, not what it says. */
const keyAttributes = new Set(['PK', 'SK', listIndex.partitionKey, listIndex.sortKey]);

/**
 * The item as the export shows it. Where the group names the kind, the `type`
 * attribute says nothing more and goes; an event's own type comes back from
 * `eventType`. Markers and unknown items keep `type`, and unknown ones their sort key.
 */
export const exportedItem = (
  group: PartitionGroup,
  item: Record<string, unknown>,
): Record<string, unknown> => {
  const attributes = Object.fromEntries(Object.entries(item).filter(([name]) => !keyAttributes.has(name)));
  switch (group) {
    case 'events':
      return eventFromItem(attributes);
    case 'markers':
      return attributes;
    case 'other':
      return { sortKey: item.SK, ...attributes };
    default: {
      const { type: _kind, ...rest } = attributes;
      return rest;
    }
  }
};

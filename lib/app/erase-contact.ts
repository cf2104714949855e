import type { Channel, ProfileIdentities } from '../domain/contact.js';
import { normalizeEmail } from '../domain/contact.js';
import { addCounts, type ErasureRecord, inStableOrder } from '../domain/erasure.js';
import { NotFoundError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { IdentityKind, PersonalDataStore } from '../ports/personal-data-store.js';
import type { SuppressionStore } from '../ports/suppression-store.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface EraseContactDeps {
  personalData: PersonalDataStore;
  suppressions: SuppressionStore;
  clock: Clock;
}

// A customer known only by the shop's id has no email ('').
const addressesOf = (contact: ProfileIdentities): Array<[Channel, string]> => [
  ...(contact.email === '' ? [] : [['email', normalizeEmail(contact.email)] satisfies [Channel, string]]),
  ...(contact.phone === undefined ? [] : [['sms', contact.phone] satisfies [Channel, string]]),
];

const identitiesOf = (contact: ProfileIdentities): Array<[IdentityKind, string]> => [
  ...(contact.email === ''
    ? []
    : [['email', normalizeEmail(contact.email)] satisfies [IdentityKind, string]]),
  ...(contact.phone === undefined ? [] : [['phone', contact.phone] satisfies [IdentityKind, string]]),
  ...(contact.externalId === undefined
    ? []
    : [['user', contact.externalId] satisfies [IdentityKind, string]]),
];

/**
 * Forgets the profile: suppresses its addresses by hash, removes the lookups that
 * lead to it, then (in one transaction) deletes the profile and writes the
 * `erasing` record. Each step is safe to repeat, and the order matters: the hash
 * suppresses before anything is removed, so a signup or a send racing the erasure
 * finds the address suppressed, and the profile (which names the addresses and
 * lookups) goes last, so a run that stops half way is resumed by the next request.
 */
const forgetProfile = async (
  deps: EraseContactDeps,
  contactId: string,
  removed: Record<string, number>,
): Promise<ErasureRecord> => {
  // Only the identities: a profile damaged elsewhere must still be erasable.
  const contact = await deps.personalData.profile(contactId);
  if (contact === undefined) {
    const record = await deps.personalData.erasure(contactId);
    if (record === undefined) throw new NotFoundError(`no contact has the id ${contactId}`);
    return record;
  }
  const now = deps.clock.now();
  const suppressedByHash: Channel[] = [];
  for (const [channel, address] of addressesOf(contact)) {
    if (await deps.suppressions.suppressForErasure(channel, address, now)) {
      removed.suppressions = (removed.suppressions ?? 0) + 1;
    }
    suppressedByHash.push(channel);
  }
  for (const [kind, value] of identitiesOf(contact)) {
    if (await deps.personalData.releaseIdentity(kind, value, contact.id)) {
      removed.identities = (removed.identities ?? 0) + 1;
    }
  }
  const record: ErasureRecord = {
    contactId: contact.id,
    status: 'erasing',
    requestedAt: now.toISOString(),
    removed: { ...removed, profile: 1 },
    suppressedByHash,
  };
  // A signup that changed the profile meanwhile (a new phone) fails this; the retry erases that too.
  await deps.personalData.beginErasure(record, contact.version);
  return record;
};

/**
 * Erases a contact: every item under its partition, its identity lookups, and its
 * addresses in the clear (suppressed from now on by their hash alone). Leaves the
 * erasure record, which holds no personal data. Idempotent: a repeated request
 * answers the same record, and finishes an erasure an earlier request left half
 * done. NotFoundError for an id that was never a contact.
 */
export const eraseContact = async (deps: EraseContactDeps, contactId: string): Promise<ErasureRecord> => {
  if (contactId.trim() === '') throw new NotFoundError(`no contact has the id ${contactId}`);
  // Counted across retries: a retried attempt finds what the first one removed gone.
  const removed: Record<string, number> = {};
  const record = await retryOnConflict(() => forgetProfile(deps, contactId, removed));
  // Also on a repeated request: the tick may since have written a timer's event or a
  // deferred message's copy under the erased id (ids only; see docs/architecture.md).
  const swept = await deps.personalData.deletePartition(contactId);
  if (record.status === 'erased') return inStableOrder(record);
  const finished = await deps.personalData.finishErasure({
    ...record,
    status: 'erased',
    erasedAt: deps.clock.now().toISOString(),
    removed: addCounts(record.removed, swept),
  });
  return inStableOrder(finished);
};

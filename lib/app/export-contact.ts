import { normalizeEmail, ProfileIdentities } from '../domain/contact.js';
import {
  type ContactExport,
  contactExportFormat,
  type ExportedIdentity,
  type ExportedItem,
  type PartitionGroup,
  type SuppressionState,
} from '../domain/contact-export.js';
import { NotFoundError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { IdentityKind, PersonalDataStore } from '../ports/personal-data-store.js';
import { type SuppressionStore, suppressionInForce } from '../ports/suppression-store.js';

export interface ExportContactDeps {
  personalData: PersonalDataStore;
  suppressions: SuppressionStore;
  clock: Clock;
}

type ListGroup = Exclude<PartitionGroup, 'profile'>;

const identity = async (
  deps: ExportContactDeps,
  kind: IdentityKind,
  value: string,
  contactId: string,
): Promise<ExportedIdentity> => ({
  value,
  pointsHere: (await deps.personalData.identityOwner(kind, value)) === contactId,
});

const suppressionState = async (
  deps: ExportContactDeps,
  channel: 'email' | 'sms',
  address: string,
): Promise<SuppressionState> => {
  const record = await deps.suppressions.find(channel, address);
  // A temporary suppression shows with its `until`, even once it has lapsed: it is still held.
  return record === undefined
    ? { suppressed: false }
    : { suppressed: suppressionInForce(record, deps.clock.now()), ...record };
};

/**
 * Everything held about one person, as one JSON document: the profile and every
 * other item under the contact's partition (grouped by kind; kinds this code does
 * not know yet under `other`), the lookups that lead to the contact, and whether
 * the addresses are suppressed.
 */
export const exportContact = async (deps: ExportContactDeps, contactId: string): Promise<ContactExport> => {
  const items = contactId.trim() === '' ? [] : await deps.personalData.partition(contactId);
  const groups: Record<ListGroup, ExportedItem[]> = {
    consentLog: [],
    events: [],
    enrollments: [],
    markers: [],
    messages: [],
    outboundEvents: [],
    orders: [],
    clicks: [],
    other: [],
  };
  let profile: ExportedItem | undefined;
  for (const { group, item } of items) {
    if (group === 'profile') profile = item;
    else groups[group].push(item);
  }
  if (profile === undefined) throw new NotFoundError(`no contact has the id ${contactId}`);
  // The identities alone, read leniently: the export is also how a damaged profile is seen in full.
  const contact = ProfileIdentities.parse(profile);
  const email = normalizeEmail(contact.email);
  const [emailIdentity, phoneIdentity, userIdentity, emailSuppression, smsSuppression] = await Promise.all([
    identity(deps, 'email', email, contact.id),
    contact.phone === undefined ? undefined : identity(deps, 'phone', contact.phone, contact.id),
    contact.externalId === undefined ? undefined : identity(deps, 'user', contact.externalId, contact.id),
    suppressionState(deps, 'email', email),
    contact.phone === undefined ? undefined : suppressionState(deps, 'sms', contact.phone),
  ]);
  return {
    format: contactExportFormat,
    exportedAt: deps.clock.now().toISOString(),
    contactId: contact.id,
    profile,
    identities: {
      email: emailIdentity,
      ...(phoneIdentity === undefined ? {} : { phone: phoneIdentity }),
      ...(userIdentity === undefined ? {} : { userId: userIdentity }),
    },
    suppression: {
      email: emailSuppression,
      ...(smsSuppression === undefined ? {} : { sms: smsSuppression }),
    },
    ...groups,
  };
};

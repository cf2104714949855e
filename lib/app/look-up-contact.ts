import type { Contact } from '../domain/contact.js';
import { normalizeEmail } from '../domain/contact.js';
import type { ContactRecord } from '../domain/contact-record.js';
import { withCardView } from '../domain/customer-card.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { EnrollmentStore } from '../ports/enrollment-store.js';
import type { SuppressionStore } from '../ports/suppression-store.js';

export interface LookUpDeps {
  contacts: ContactStore;
  enrollments: EnrollmentStore;
  suppressions: SuppressionStore;
  /** A temporary suppression shows only until it lapses. */
  clock: Clock;
}

const recordOf = async (deps: LookUpDeps, contact: Contact): Promise<ContactRecord> => {
  const [consentLog, enrollments, suppressed] = await Promise.all([
    deps.contacts.consentLog(contact.id),
    deps.enrollments.listForContact(contact.id),
    deps.suppressions.isSuppressed('email', contact.email, deps.clock.now()),
  ]);
  return { contact: withCardView(contact), suppressed, consentLog, enrollments };
};

/**
 * The contact with this id, or NotFoundError. The message names only the id,
 * which the caller gave: an erased contact's id is answered like one never known.
 */
export const contactById = async (contacts: ContactStore, contactId: string): Promise<Contact> => {
  const contact = contactId.trim() === '' ? undefined : await contacts.get(contactId);
  if (contact === undefined) throw new NotFoundError(`no contact has the id ${contactId}`);
  return contact;
};

export const lookUpContactByEmail = async (
  deps: LookUpDeps,
  email: string | undefined,
): Promise<ContactRecord> => {
  if (email === undefined || email.trim() === '') throw new ValidationError({ email: 'is required' });
  const normalized = normalizeEmail(email);
  const contactId = await deps.contacts.findIdByEmail(normalized);
  const contact = contactId === undefined ? undefined : await deps.contacts.get(contactId);
  if (contact === undefined) throw new NotFoundError(`no contact has the email ${normalized}`);
  return recordOf(deps, contact);
};

export const lookUpContactById = async (deps: LookUpDeps, contactId: string): Promise<ContactRecord> =>
  recordOf(deps, await contactById(deps.contacts, contactId));

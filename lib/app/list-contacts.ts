import type { Contact } from '../domain/contact.js';
import {
  type ContactList,
  type ContactListPosition,
  ContactListQuery,
  type ContactSummary,
  contactFilter,
  contactSummary,
  encodeContactCursor,
} from '../domain/contact-listing.js';
import { ValidationError } from '../domain/errors.js';
import { matcherFor } from '../domain/segment-condition.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { SegmentStore } from '../ports/segment-store.js';
import { fieldsOf, problemsOf } from './admin/problems.js';

export interface ListContactsDeps {
  contacts: Pick<ContactStore, 'listPage'>;
  segments: Pick<SegmentStore, 'get'>;
  clock: Clock;
}

/**
 * What one request may read, whatever the filters: index queries (each a
 * keys-only query of one shard and a batch read of the profiles behind it) and
 * profiles. Twice the shard count in queries lets a small base be listed in one
 * request, empty shards and all; a filter few contacts pass answers a short
 * page with a cursor instead of reading on.
 */
export const contactListBudget = { indexQueries: 32, profiles: 1_000, profilesPerQuery: 100 } as const;

/**
 * `GET /admin/contacts` without `email`: every contact, a page at a time,
 * through the contacts list in the index (never a scan), filtered. Each index
 * page asks for no more profiles than the page still has room for, so every
 * contact read that passes is answered and the cursor never skips one.
 */
export const listContacts = async (
  deps: ListContactsDeps,
  query: Record<string, string | undefined>,
): Promise<ContactList> => {
  const parsed = ContactListQuery.safeParse(query);
  if (!parsed.success) throw new ValidationError(fieldsOf(problemsOf(parsed.error)));
  const { limit, after, segment: segmentId, ...filters } = parsed.data;
  const passes = contactFilter(filters);
  let inSegment: (contact: Contact) => boolean = () => true;
  if (segmentId !== undefined) {
    const segment = await deps.segments.get(segmentId);
    if (segment === undefined) throw new ValidationError({ segment: `no segment has the id ${segmentId}` });
    inSegment = matcherFor(segment.condition, deps.clock.now());
  }

  const contacts: ContactSummary[] = [];
  let position: ContactListPosition | undefined = after ?? { shard: 0 };
  let read = 0;
  for (let queries = 0; position !== undefined && queries < contactListBudget.indexQueries; queries += 1) {
    const asked = Math.min(
      limit - contacts.length,
      contactListBudget.profilesPerQuery,
      contactListBudget.profiles - read,
    );
    if (asked <= 0) break;
    const page = await deps.contacts.listPage(position, asked);
    read += asked;
    for (const contact of page.contacts) {
      if (passes(contact) && inSegment(contact)) contacts.push(contactSummary(contact));
    }
    position = page.next;
  }
  return { contacts, ...(position === undefined ? {} : { next: encodeContactCursor(position) }) };
};

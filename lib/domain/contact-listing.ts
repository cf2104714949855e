import { z } from 'zod';
import { SegmentId } from './audience-segment.js';
import { ChannelConsent, ConsentStatus, type Contact, normalizeEmail } from './contact.js';
import { CustomerCardView, ValueTier, withCardView } from './customer-card.js';

/**
 * Where a walk through the contacts list stands: the index shard, and the last
 * contact read there (none: the shard's start). The adapter turns it into the
 * index's start key, so a position made up by a caller can only point into the
 * list, never at another part of the table.
 */
export const ContactListPosition = z.object({
  shard: z.number().int().min(0).max(1_000),
  after: z.string().min(1).max(256).optional(),
});
export type ContactListPosition = z.infer<typeof ContactListPosition>;

export const defaultContactListLimit = 50;
export const maxContactListLimit = 500;

const cursorProblem = 'is not a cursor this API handed out; start again without it';

/** The cursor as the API hands it out: the position as base64url JSON, which callers pass back unread. */
export const encodeContactCursor = (position: ContactListPosition): string =>
  Buffer.from(JSON.stringify({ s: position.shard, a: position.after })).toString('base64url');

const CursorJson = z.object({ s: z.number(), a: z.string().optional() });

const decodeContactCursor = (text: string, ctx: z.RefinementCtx): ContactListPosition => {
  try {
    const json = CursorJson.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
    return ContactListPosition.parse({ shard: json.s, after: json.a });
  } catch {
    ctx.addIssue({ code: 'custom', message: cursorProblem });
    return z.NEVER;
  }
};

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);

/**
 * `GET /admin/contacts` without `email`: the query as sent (strings), read into
 * a page size, a position and filters. Every filter narrows: a contact is
 * listed only if it passes all of them.
 */
export const ContactListQuery = z.object({
  limit: z
    .string()
    .regex(/^\d+$/, `must be a whole number from 1 to ${maxContactListLimit}`)
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, `must be a whole number from 1 to ${maxContactListLimit}`)
        .max(maxContactListLimit, `must be at most ${maxContactListLimit}`),
    )
    .default(defaultContactListLimit),
  after: z.string().max(1_000, cursorProblem).transform(decodeContactCursor).optional(),
  /** A saved segment's id: its condition is evaluated on each contact at the time of the request. */
  segment: SegmentId.optional(),
  /** The start of an email address, or a contact id or the shop's user id, exactly. */
  q: text(320).optional(),
  topic: text(100).optional(),
  /** The email channel's consent status. */
  consent: ConsentStatus.optional(),
  tier: ValueTier.optional(),
});
export type ContactListQuery = z.infer<typeof ContactListQuery>;

/** Whether the contact passes the filters that need nothing but the contact itself. */
export const contactFilter = (
  query: Pick<ContactListQuery, 'q' | 'topic' | 'consent' | 'tier'>,
): ((contact: Contact) => boolean) => {
  const prefix = query.q === undefined ? undefined : normalizeEmail(query.q);
  return (contact) =>
    (query.q === undefined ||
      (prefix !== undefined && normalizeEmail(contact.email).startsWith(prefix)) ||
      contact.id === query.q ||
      contact.externalId === query.q) &&
    (query.topic === undefined || contact.topics.includes(query.topic)) &&
    (query.consent === undefined || contact.consent.email.status === query.consent) &&
    (query.tier === undefined || contact.customer?.tier === query.tier);
};

/** A contact as a list shows it: who, consent, and the card (money in major units); no attributes or history. */
export const ContactSummary = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().optional(),
  phone: z.string().optional(),
  externalId: z.string().optional(),
  consent: z.object({ email: ChannelConsent, sms: ChannelConsent }),
  topics: z.array(z.string()),
  customer: CustomerCardView.optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ContactSummary = z.infer<typeof ContactSummary>;

/** A page of `GET /admin/contacts`; `next` is where the next request goes on from, absent after the last. */
export const ContactList = z.object({ contacts: z.array(ContactSummary), next: z.string().optional() });
export type ContactList = z.infer<typeof ContactList>;

export const contactSummary = (contact: Contact): ContactSummary => {
  const { customer } = withCardView(contact);
  return {
    id: contact.id,
    email: contact.email,
    ...(contact.name === undefined ? {} : { name: contact.name }),
    ...(contact.phone === undefined ? {} : { phone: contact.phone }),
    ...(contact.externalId === undefined ? {} : { externalId: contact.externalId }),
    consent: contact.consent,
    topics: contact.topics,
    ...(customer === undefined ? {} : { customer }),
    createdAt: contact.createdAt,
    updatedAt: contact.updatedAt,
  };
};

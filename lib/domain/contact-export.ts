import { z } from 'zod';

/**
 * The groups an export sorts a contact's partition (`C#<id>`) into. An item of a
 * kind the export does not know yet goes to `other`, so a new item type is never
 * left out of an export (and the erasure deletes the whole partition anyway).
 */
export const PartitionGroup = z.enum([
  'profile',
  'consentLog',
  'events',
  'enrollments',
  /** `ENTERED#` and `ACTIVE#` items: which journeys the contact entered, and is in now. */
  'markers',
  'messages',
  'outboundEvents',
  'orders',
  /** `CLICK#` items: links clicked in sent messages, kept while an order may be credited to them. */
  'clicks',
  'other',
]);
export type PartitionGroup = z.infer<typeof PartitionGroup>;

/**
 * One stored item as exported: its attributes without the table's key attributes
 * (PK, SK, GSI1PK, GSI1SK), which only say where the item lives. Items in `other`
 * keep their sort key as `sortKey`: for a kind the export does not know, the key
 * may be the only place part of its meaning is written.
 */
export const ExportedItem = z.record(z.string(), z.unknown());
export type ExportedItem = z.infer<typeof ExportedItem>;

/** An identity the profile names, and whether its lookup item points at this contact. */
export const ExportedIdentity = z.object({
  value: z.string(),
  /** False when the lookup item is missing or points at another contact (a shared phone). */
  pointsHere: z.boolean(),
});
export type ExportedIdentity = z.infer<typeof ExportedIdentity>;

export const SuppressionState = z.object({
  suppressed: z.boolean(),
  /** `bounce`, `complaint`, `opt-out`, `soft-bounce`, or `erasure` (an earlier erasure of the same address). */
  reason: z.string().optional(),
  at: z.iso.datetime().optional(),
  /** A temporary suppression's end: from then on the address is tried again. */
  until: z.iso.datetime().optional(),
  detail: z.string().optional(),
});
export type SuppressionState = z.infer<typeof SuppressionState>;

export const contactExportFormat = 'rapport.contact-export/1';

/** Everything Rapport holds about one person (a data subject access or portability request). */
export const ContactExport = z.object({
  format: z.literal(contactExportFormat),
  exportedAt: z.iso.datetime(),
  contactId: z.string().min(1),
  profile: ExportedItem,
  identities: z.object({
    email: ExportedIdentity,
    phone: ExportedIdentity.optional(),
    userId: ExportedIdentity.optional(),
  }),
  suppression: z.object({ email: SuppressionState, sms: SuppressionState.optional() }),
  consentLog: z.array(ExportedItem),
  events: z.array(ExportedItem),
  enrollments: z.array(ExportedItem),
  markers: z.array(ExportedItem),
  messages: z.array(ExportedItem),
  outboundEvents: z.array(ExportedItem),
  orders: z.array(ExportedItem),
  clicks: z.array(ExportedItem),
  other: z.array(ExportedItem),
});
export type ContactExport = z.infer<typeof ContactExport>;

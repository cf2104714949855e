import { z } from 'zod';
import { ConsentEntry } from './consent-entry.js';
import { Contact } from './contact.js';
import { CustomerCardView } from './customer-card.js';
import { Enrollment } from './enrollment.js';

/** A contact as the admin API shows one (`GET /admin/contacts/{id}`): the profile, its consent log and journeys. */
export const ContactRecord = z.object({
  /** The card's money in major units, as people read it. */
  contact: Contact.extend({ customer: CustomerCardView.optional() }),
  suppressed: z.boolean(),
  consentLog: z.array(ConsentEntry),
  enrollments: z.array(Enrollment),
});
export type ContactRecord = z.infer<typeof ContactRecord>;

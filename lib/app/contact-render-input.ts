import type { Contact } from '../domain/contact.js';
import { customerCardView } from '../domain/customer-card.js';
import { own } from '../domain/own-property.js';
import type { RenderInput } from '../templates/render-email.js';

/** The zone and language a template shows dates in (`local_date`): the contact's own, else the defaults. */
export const readerCalendar = (
  contact: Contact,
  defaultTimeZone: string,
): { timeZone: string; locale?: string } => {
  const locale = own(contact.attributes, 'locale');
  return {
    timeZone: contact.timeZone ?? defaultTimeZone,
    ...(typeof locale === 'string' ? { locale } : {}),
  };
};

/**
 * The `contact` an email template sees: the same for a delivered message, a
 * preview and a test, so what a marketer checks is what the contact gets.
 */
export const contactRenderInput = (contact: Contact, defaultTimeZone: string): RenderInput['contact'] => ({
  email: contact.email,
  // A contact who has not confirmed yet reads the topics they asked for.
  topics: contact.topics.length > 0 ? contact.topics : contact.pendingTopics,
  ...(contact.name === undefined ? {} : { name: contact.name }),
  ...readerCalendar(contact, defaultTimeZone),
  attributes: contact.attributes,
  ...(contact.customer === undefined ? {} : { customer: customerCardView(contact.customer) }),
});

import type { Contact } from '../domain/contact.js';
import type { RecommendedItem } from '../domain/recommendations.js';

/** What a template's `recommendations` come from, and where sending them is remembered. */
export interface RecommendationSource {
  for(contact: Contact, now: Date, limit: number): Promise<RecommendedItem[]>;
  remember(contactId: string, at: Date): Promise<void>;
}

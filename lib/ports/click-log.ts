import type { Click } from '../domain/attribution.js';

/** Clicks on links in sent mail, per contact, kept for as long as a purchase may be credited to them. */
export interface ClickLog {
  /** Idempotent: the same message clicked at the same time is one click. */
  record(contactId: string, click: Click, expiresAt: number): Promise<void>;
  /** The contact's clicks at or after `sinceIso`. */
  since(contactId: string, sinceIso: string): Promise<Click[]>;
}

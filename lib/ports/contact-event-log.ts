import type { ContactEvent } from '../domain/contact-event.js';

/** Writes events on a contact's timeline; the table's stream hands each new one to the journeys function. */
export interface ContactEventLog {
  /**
   * Writes the event unless one with its id exists for the contact: true when
   * written, false when it was there already (work redone after a crash).
   */
  append(event: ContactEvent): Promise<boolean>;
}

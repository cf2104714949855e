import type { Enrollment } from '../domain/enrollment.js';
import type { Message } from '../domain/message.js';

export type StartOutcome = 'started' | 'already-started' | 'already-entered';

export interface EnrollmentStore {
  /**
   * Atomic: the enrollment, its outbox messages and, when `once` is set, a marker
   * that the contact entered this journey. `already-started` means this enrollment
   * id exists (a replayed trigger); `already-entered` means `once` and the contact
   * entered before.
   */
  start(enrollment: Enrollment, messages: Message[], options: { once: boolean }): Promise<StartOutcome>;
  listForContact(contactId: string): Promise<Enrollment[]>;
}

import type { ContactEvent } from '../domain/contact-event.js';
import type { CounterIncrement } from '../domain/counter-increment.js';
import type { Enrollment } from '../domain/enrollment.js';
import type { JobCursor } from '../domain/journey-job.js';
import type { Message } from '../domain/message.js';
import type { OutboundEvent } from '../domain/outbound-event.js';
import type { Timer } from '../domain/timer.js';
import type { Page } from './page.js';

export type StartOutcome =
  /** A replayed trigger: this enrollment exists already. */
  | 'started'
  | 'already-started'
  /** `reentry: never`, and the contact entered before. */
  | 'already-entered'
  /** `reentry: { cooldown }`, and the contact entered within it. */
  | 'cooling-down'
  /** `concurrent: false`, and the contact is in the journey now. */
  | 'already-active';

/** The side effects of one engine step, written in the same transaction as the enrollment. */
export interface EnrollmentEffects {
  messages: Message[];
  timers: Timer[];
  /** update_contact nodes: the contact's new attributes, guarded by the version the step read. */
  contactUpdate?: ContactAttributesUpdate;
  /** emit_event nodes: outbox entries for EventBridge. */
  outboundEvents?: OutboundEvent[];
  /**
   * The step's daily counters (entries, members, node visits, goals, ends), added in
   * the same transaction, so a replayed step that writes nothing counts nothing. What
   * does not fit beside the step's items (DynamoDB takes 100) is added after it.
   */
  counters?: CounterIncrement[];
}

export interface ContactAttributesUpdate {
  contactId: string;
  /** The contact version the step read; a contact changed since fails the step with ConcurrentUpdateError. */
  expectedVersion: number;
  attributes: Record<string, unknown>;
  updatedAt: string;
  /** One `contact_updated` event per update_contact node that ran, so other journeys can react. */
  events: ContactEvent[];
}

export interface EntryRules {
  reentry: 'never' | 'always' | { since: Date };
  /** Hold an "active" marker while the enrollment runs, so the contact cannot enter twice at once. */
  exclusive: boolean;
}

export interface EnrollmentStore {
  /** Atomic: the new enrollment, its effects, and the markers its entry rules need. */
  start(enrollment: Enrollment, effects: EnrollmentEffects, rules: EntryRules): Promise<StartOutcome>;
  /**
   * Atomic: the enrollment's new state (only if its stored version is `expectedVersion`,
   * else ConcurrentUpdateError) and its effects; releases the active marker when it ends.
   */
  advance(enrollment: Enrollment, expectedVersion: number, effects: EnrollmentEffects): Promise<void>;
  listForContact(contactId: string): Promise<Enrollment[]>;
  /** Running enrollments of a journey, a page at a time (a migration's or an archive's walk). */
  activePage(journeyId: string, cursor: JobCursor, limit: number): Promise<Page<Enrollment>>;
}

import type { AuditEntry } from '../domain/audit-entry.js';
import type { SendingPause, SendingResume, SendingState } from '../domain/sending-state.js';

/** Whether marketing email is paused: one record, changed only from one state to the other. */
export interface SendingStateStore {
  /** Read consistently; `neverPaused` when nothing was ever recorded. */
  get(): Promise<SendingState>;
  /**
   * Pauses, unless already paused (the first pause and its cause stand). `entry`,
   * when given, goes into the audit log in the same transaction: a pause Rapport
   * makes on its own is never on record without it, nor it without the pause.
   */
  pause(pause: SendingPause, entry?: AuditEntry): Promise<'paused' | 'already-paused'>;
  /** Resumes a pause, keeping it as the last one; nothing to do when not paused. */
  resume(resume: SendingResume): Promise<'resumed' | 'not-paused'>;
}

import type { AuditEntry } from '../../domain/audit-entry.js';
import type { SendingPause, SendingResume, SendingState } from '../../domain/sending-state.js';
import type { SendingStateStore } from '../../ports/sending-state-store.js';
import { auditItem } from '../dynamodb/audit-items.js';
import {
  pausedState,
  resumedState,
  sendingStateAttributes,
  sendingStateFromItem,
  sendingStateKey,
} from '../dynamodb/sending-state-items.js';
import { type Condition, itemAbsent, type MemoryTable } from './memory-table.js';

const versionIs =
  (version: number): Condition =>
  (item) =>
    (item?.version ?? 0) === version;

/** The state as the DynamoDB store keeps it: one item, replaced only over the version it was read at. */
export class MemorySendingStateStore implements SendingStateStore {
  constructor(private readonly table: MemoryTable) {}

  async get(): Promise<SendingState> {
    return sendingStateFromItem(this.table.get(sendingStateKey));
  }

  async pause(pause: SendingPause, entry?: AuditEntry): Promise<'paused' | 'already-paused'> {
    for (;;) {
      const current = await this.get();
      if (current.status === 'paused') return 'already-paused';
      const next = pausedState(current, pause);
      const state = {
        put: { ...sendingStateKey, ...sendingStateAttributes(next) },
        condition: versionIs(current.version),
      };
      if (entry === undefined) {
        if (this.table.write(state).written) return 'paused';
        continue;
      }
      const cancellation = this.table.transact([
        state,
        { put: auditItem({ ...entry, versionAfter: next.version }), condition: itemAbsent },
      ]);
      if (cancellation === undefined) return 'paused';
      if (cancellation.failedConditions.includes(1))
        throw new Error(`audit entry ${entry.id} at ${entry.at} is already on record`);
    }
  }

  async resume(resume: SendingResume): Promise<'resumed' | 'not-paused'> {
    for (;;) {
      const current = await this.get();
      if (current.status !== 'paused') return 'not-paused';
      const written = this.table.write({
        put: { ...sendingStateKey, ...sendingStateAttributes(resumedState(current, resume)) },
        condition: versionIs(current.version),
      }).written;
      if (written) return 'resumed';
    }
  }
}

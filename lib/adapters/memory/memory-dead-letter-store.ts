import type { DeadLetter, DeadLetterId, FailedRedrive } from '../../domain/dead-letter.js';
import type { DeadLetterPage, DeadLetterStore } from '../../ports/dead-letter-store.js';
import {
  deadLetterFromItem,
  deadLetterItem,
  deadLetterKey,
  deadLetterPartition,
} from '../dynamodb/dead-letter-items.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

/** The dead letters' partition, as DynamoDeadLetterStore keeps it. */
export class MemoryDeadLetterStore implements DeadLetterStore {
  constructor(private readonly table: MemoryTable) {}

  async put(deadLetter: DeadLetter): Promise<void> {
    const outcome = this.table.write({ put: deadLetterItem(deadLetter), condition: itemAbsent });
    if (!outcome.written) throw new Error(`dead letter ${deadLetter.id} exists already`);
  }

  async get(id: DeadLetterId): Promise<DeadLetter | undefined> {
    const item = this.table.get(deadLetterKey(id));
    return item === undefined ? undefined : deadLetterFromItem(item);
  }

  async list(limit: number, after?: DeadLetterId): Promise<DeadLetterPage> {
    const page = this.table.query(deadLetterPartition, {
      limit,
      ...(after === undefined ? {} : { startAfter: after }),
    });
    const deadLetters = page.items.map(deadLetterFromItem);
    const last = deadLetters.at(-1);
    return { deadLetters, next: page.lastKey === undefined || last === undefined ? null : last.id };
  }

  async remove(id: DeadLetterId): Promise<void> {
    this.table.write({ delete: deadLetterKey(id) });
  }

  async recordFailedRedrive(id: DeadLetterId, redrive: FailedRedrive): Promise<DeadLetter | undefined> {
    const outcome = this.table.write({
      update: deadLetterKey(id),
      apply: (current) => ({
        ...current,
        redrives: (typeof current?.redrives === 'number' ? current.redrives : 0) + 1,
        lastRedrive: redrive,
      }),
      condition: (current) => current !== undefined,
    });
    return outcome.written && outcome.item !== undefined ? deadLetterFromItem(outcome.item) : undefined;
  }
}

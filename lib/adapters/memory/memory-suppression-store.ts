import {
  type Suppression,
  SuppressionRecord,
  type SuppressionStore,
  suppressionInForce,
} from '../../ports/suppression-store.js';
import type { ItemType } from '../dynamodb/items.js';
import {
  hashedSuppressionKey,
  isoTime,
  suppressionItem,
  suppressionKey,
} from '../dynamodb/suppression-items.js';
import { type Condition, itemAbsent, type MemoryTable } from './memory-table.js';

type Channel = Suppression['channel'];

/** Suppressions on the memory table: in the clear, and by hash after an erasure, as DynamoSuppressionStore keeps them. */
export class MemorySuppressionStore implements SuppressionStore {
  constructor(private readonly table: MemoryTable) {}

  async isSuppressed(channel: Channel, address: string, now: Date): Promise<boolean> {
    const { plain, hashed } = this.read(channel, address);
    return [plain, hashed].some((record) => record !== undefined && suppressionInForce(record, now));
  }

  async find(channel: Channel, address: string): Promise<SuppressionRecord | undefined> {
    const { plain, hashed } = this.read(channel, address);
    return plain ?? hashed;
  }

  async suppress(suppression: Suppression): Promise<void> {
    // An erased address stays suppressed by its hash alone; either condition failing means the
    // address is suppressed already, and the first record (the original bounce or complaint) is kept.
    await this.table.transact([
      { check: hashedSuppressionKey(suppression.channel, suppression.address), condition: itemAbsent },
      { put: suppressionItem(suppression), condition: replaces(suppression) },
    ]);
  }

  async suppressForErasure(channel: Channel, address: string, at: Date): Promise<boolean> {
    // Erased before (a repeated or resumed erasure): the first record stays.
    await this.table.write({
      put: {
        ...hashedSuppressionKey(channel, address),
        type: 'suppression' satisfies ItemType,
        channel,
        reason: 'erasure',
        at: at.toISOString(),
      },
      condition: itemAbsent,
    });
    // Only now, with the hash in place, may the address in the clear go.
    const outcome = await this.table.write({ delete: suppressionKey(channel, address) });
    return outcome.written && outcome.previous !== undefined;
  }

  /** The record in the clear and the hashed one, as the DynamoDB store reads them (reason, at, until, detail). */
  private read(
    channel: Channel,
    address: string,
  ): { plain: SuppressionRecord | undefined; hashed: SuppressionRecord | undefined } {
    const [plain, hashed] = [suppressionKey(channel, address), hashedSuppressionKey(channel, address)].map(
      (key) => {
        const item = this.table.get(key);
        return item === undefined ? undefined : SuppressionRecord.parse(item);
      },
    );
    return { plain, hashed };
  }
}

/**
 * What a suppression may be written over: one for good over nothing or a temporary
 * one; a temporary one over nothing or a temporary one that has lapsed by then.
 */
const replaces = (suppression: Suppression): Condition => {
  if (suppression.until === undefined)
    return (current) => current === undefined || typeof current.until === 'string';
  const at = isoTime(suppression.at);
  return (current) => current === undefined || (typeof current.until === 'string' && current.until <= at);
};

import { type Suppression, SuppressionRecord, type SuppressionStore } from '../../ports/suppression-store.js';
import type { ItemType } from '../dynamodb/items.js';
import { hashedSuppressionKey, suppressionKey } from '../dynamodb/suppression-items.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

type Channel = Suppression['channel'];

/** Suppressions on the memory table: in the clear, and by hash after an erasure, as DynamoSuppressionStore keeps them. */
export class MemorySuppressionStore implements SuppressionStore {
  constructor(private readonly table: MemoryTable) {}

  async isSuppressed(channel: Channel, address: string): Promise<boolean> {
    return (await this.read(channel, address)) !== undefined;
  }

  async find(channel: Channel, address: string): Promise<SuppressionRecord | undefined> {
    const item = await this.read(channel, address);
    return item === undefined ? undefined : SuppressionRecord.parse(item);
  }

  async suppress(suppression: Suppression): Promise<void> {
    // An erased address stays suppressed by its hash alone; either record existing means the address
    // is suppressed already, and the first record (the original bounce or complaint) is the one kept.
    await this.table.transact([
      { check: hashedSuppressionKey(suppression.channel, suppression.address), condition: itemAbsent },
      {
        put: {
          ...suppressionKey(suppression.channel, suppression.address),
          type: 'suppression' satisfies ItemType,
          ...suppression,
        },
        condition: itemAbsent,
      },
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

  /** The record in the clear, else the hashed one, as the DynamoDB store reads them (reason, at, detail). */
  private async read(channel: Channel, address: string): Promise<Record<string, unknown> | undefined> {
    const [plain, hashed] = await Promise.all(
      [suppressionKey(channel, address), hashedSuppressionKey(channel, address)].map(async (key) => {
        const item = await this.table.get(key);
        if (item === undefined) return undefined;
        const { reason, at, detail } = item;
        return { PK: item.PK, reason, at, ...(detail === undefined ? {} : { detail }) };
      }),
    );
    return plain ?? hashed;
  }
}

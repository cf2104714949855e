import { Click } from '../../domain/attribution.js';
import type { ClickLog } from '../../ports/click-log.js';
import type { ItemType } from '../dynamodb/items.js';
import { keys, ttlAttribute } from '../dynamodb/keys.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

/** Clicks under the contact (`CLICK#<clickedAt>#<message key>`), as DynamoClickLog keeps them. */
export class MemoryClickLog implements ClickLog {
  constructor(private readonly table: MemoryTable) {}

  async record(contactId: string, click: Click, expiresAt: number): Promise<void> {
    // SNS delivers at least once: the same click again is already on record.
    await this.table.write({
      put: {
        ...keys.click(contactId, click.clickedAt, click.messageId),
        type: 'click' satisfies ItemType,
        ...click,
        [ttlAttribute]: expiresAt,
      },
      condition: itemAbsent,
    });
  }

  async since(contactId: string, sinceIso: string): Promise<Click[]> {
    const items = await this.table.queryAll(keys.contact(contactId).PK, {
      from: `${keys.clickPrefix}${sinceIso}`,
      to: `${keys.clickPrefix}\uffff`,
    });
    return items.map((item) => Click.parse(item));
  }
}

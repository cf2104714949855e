import type { ContactEvent } from '../../domain/contact-event.js';
import type { ContactEventLog } from '../../ports/contact-event-log.js';
import { eventItem } from '../dynamodb/items.js';
import { itemAbsent, type MemoryTable } from './memory-table.js';

/** Events on a contact's timeline (`EV#<id>`); each new one is an INSERT on the memory table's stream. */
export class MemoryContactEventLog implements ContactEventLog {
  constructor(private readonly table: MemoryTable) {}

  async append(event: ContactEvent): Promise<boolean> {
    const outcome = await this.table.write({ put: eventItem(event), condition: itemAbsent });
    return outcome.written;
  }
}

import { eventFromItem } from '../../../lib/adapters/dynamodb/items.js';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { queryAll } from '../../../lib/adapters/dynamodb/query-all.js';
import { ContactEvent } from '../../../lib/domain/contact-event.js';
import type { TestTable } from '../support/table.js';

export {
  aTimer,
  at,
  CrashingTimerStore,
  remainingTimers,
  SimulatedCrashError,
} from '../../support/timer-wheel.js';

/** Every event stored for the contact. */
export const eventsOf = async (table: TestTable, contactId: string): Promise<ContactEvent[]> => {
  const items = await queryAll(table.documentClient, {
    TableName: table.tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.contact(contactId).PK, ':prefix': keys.eventPrefix },
    ConsistentRead: true,
  });
  return items.map((item) => ContactEvent.parse(eventFromItem(item)));
};

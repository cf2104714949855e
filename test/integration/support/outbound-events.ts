import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { outboundEventItem, putNew } from '../../../lib/adapters/dynamodb/items.js';
import { transactWrite } from '../../../lib/adapters/dynamodb/transactions.js';
import type { OutboundEvent } from '../../../lib/domain/outbound-event.js';

export { anOutboundEvent } from '../../support/builders.js';

/**
 * Writes the event's OUT# item as the journeys' enrollment transaction does: the
 * same item builder, created only if absent.
 */
export const writeOutboundEvent = async (
  documentClient: DynamoDBDocumentClient,
  tableName: string,
  event: OutboundEvent,
): Promise<void> => {
  const cancelled = await transactWrite(documentClient, [putNew(tableName, outboundEventItem(event))]);
  if (cancelled !== undefined) throw new Error(`outbound event ${event.id} already exists`);
};

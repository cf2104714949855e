import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { outboundEventItem, putNew } from '../../../lib/adapters/dynamodb/items.js';
import { transactWrite } from '../../../lib/adapters/dynamodb/transactions.js';
import { type OutboundEvent, outboundEventSource } from '../../../lib/domain/outbound-event.js';
import { newId } from './builders.js';

/** A pending event as an emit_event node leaves it, with an id shaped like the engine's. */
export const anOutboundEvent = (contactId: string, overrides: Partial<OutboundEvent> = {}): OutboundEvent => {
  const enrollmentId = newId();
  return {
    id: `vip#${enrollmentId}#reached#1`,
    contactId,
    source: outboundEventSource,
    detailType: 'VIP Reached',
    detail: { contactId, tier: 'gold', total: 1250.5, topics: ['newsletter'] },
    journeyId: 'vip',
    enrollmentId,
    nodeId: 'reached',
    status: 'pending',
    createdAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
};

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

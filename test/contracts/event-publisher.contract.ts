import { describe, expect, it } from 'vitest';
import { maxEntryBytes } from '../../lib/adapters/eventbridge/entry-size.js';
import { EventTooLargeError } from '../../lib/domain/errors.js';
import type { EventPublisher, EventToPublish } from '../../lib/ports/event-publisher.js';
import { newId } from '../support/builders.js';

const anEvent = (detail: Record<string, unknown> = {}): EventToPublish => ({
  source: 'rapport.journeys',
  detailType: 'VIP Reached',
  detail: { eventId: `vip#${newId()}#reached#1`, tier: 'gold', ...detail },
  time: new Date('2026-11-23T10:00:00.000Z'),
});

/** EventPublisher: each event answers the bus's id for it; what the bus cannot take is refused before the put. */
export const eventPublisherContract = (
  name: string,
  make: () => Promise<{ publisher: EventPublisher; published: () => Array<Record<string, unknown>> }>,
) =>
  describe(name, () => {
    it('answers an id for each event, a different one each time', async () => {
      const { publisher } = await make();

      const first = await publisher.publish(anEvent());
      const second = await publisher.publish(anEvent());

      expect(first.providerEventId).not.toBe('');
      expect(second.providerEventId).not.toBe(first.providerEventId);
    });

    it('refuses an event larger than the bus takes with EventTooLargeError, and puts nothing', async () => {
      const { publisher, published } = await make();
      const tooLarge = anEvent({ padding: 'x'.repeat(maxEntryBytes) });

      await expect(publisher.publish(tooLarge)).rejects.toBeInstanceOf(EventTooLargeError);
      expect(published().filter((detail) => detail.eventId === tooLarge.detail.eventId)).toEqual([]);
    });
  });

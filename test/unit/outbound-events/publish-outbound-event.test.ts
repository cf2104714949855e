import { describe, expect, it } from 'vitest';
import { busEventOf, publishOutboundEvent } from '../../../lib/app/publish-outbound-event.js';
import { EventEntryFailedError, EventTooLargeError } from '../../../lib/domain/errors.js';
import { type OutboundEvent, outboundEventSource } from '../../../lib/domain/outbound-event.js';
import type { Clock } from '../../../lib/ports/clock.js';
import type { EventPublisher, EventToPublish } from '../../../lib/ports/event-publisher.js';
import type { MarkPublishedResult, OutboundEventStore } from '../../../lib/ports/outbound-event-store.js';

const now = new Date('2026-11-23T10:05:00.000Z');
const clock: Clock = { now: () => new Date(now), sleep: async () => undefined };

const anEvent = (overrides: Partial<OutboundEvent> = {}): OutboundEvent => ({
  id: 'vip#01JEN#reached#1',
  contactId: 'c-1',
  source: outboundEventSource,
  detailType: 'VIP Reached',
  detail: { tier: 'gold', contactId: 'c-1' },
  journeyId: 'vip',
  enrollmentId: '01JEN',
  nodeId: 'reached',
  status: 'pending',
  createdAt: '2026-11-23T10:00:00.000Z',
  ...overrides,
});

/** The table's OUT# items, with the conditional pending → published write. */
class InMemoryOutboundEvents implements OutboundEventStore {
  readonly items = new Map<string, OutboundEvent>();
  /** Runs before the conditional write, as another invocation or a crash would interleave. */
  beforeMark: () => void = () => undefined;

  constructor(...events: OutboundEvent[]) {
    for (const event of events) this.items.set(event.id, event);
  }

  async get(_contactId: string, id: string): Promise<OutboundEvent | undefined> {
    const event = this.items.get(id);
    return event === undefined ? undefined : { ...event };
  }

  async markPublished(
    _contactId: string,
    id: string,
    publication: { publishedAt: Date; providerEventId: string },
  ): Promise<MarkPublishedResult> {
    this.beforeMark();
    const event = this.items.get(id);
    if (event?.status !== 'pending') return 'not-pending';
    this.items.set(id, {
      ...event,
      status: 'published',
      publishedAt: publication.publishedAt.toISOString(),
      providerEventId: publication.providerEventId,
    });
    return 'marked';
  }
}

class RecordingPublisher implements EventPublisher {
  readonly published: EventToPublish[] = [];
  failWith: Error | undefined;

  async publish(event: EventToPublish): Promise<{ providerEventId: string }> {
    if (this.failWith !== undefined) throw this.failWith;
    this.published.push(event);
    return { providerEventId: `bus-${this.published.length}` };
  }
}

const world = (...events: OutboundEvent[]) => {
  const store = new InMemoryOutboundEvents(...events);
  const publisher = new RecordingPublisher();
  const publish = (id: string) =>
    publishOutboundEvent({ events: store, publisher, clock }, { contactId: 'c-1', id });
  return { store, publisher, publish };
};

describe('publishing an event a journey emitted', () => {
  describe('when it is pending', () => {
    it('puts it on the bus with its source, detail type, emission time and its id in the detail', async () => {
      const event = anEvent();
      const { publisher, publish } = world(event);

      await publish(event.id);

      expect(publisher.published).toEqual([
        {
          source: 'rapport.journeys',
          detailType: 'VIP Reached',
          detail: { tier: 'gold', contactId: 'c-1', eventId: event.id },
          time: new Date('2026-11-23T10:00:00.000Z'),
        },
      ]);
    });

    it('records it published, with the time and the id the bus gave it', async () => {
      const event = anEvent();
      const { store, publish } = world(event);

      const outcome = await publish(event.id);

      expect(outcome).toEqual({ outcome: 'published', providerEventId: 'bus-1' });
      expect(store.items.get(event.id)).toEqual({
        ...event,
        status: 'published',
        publishedAt: now.toISOString(),
        providerEventId: 'bus-1',
      });
    });
  });

  it('puts nothing when a replayed record finds it already published', async () => {
    const event = anEvent({
      status: 'published',
      publishedAt: '2026-11-23T10:01:00.000Z',
      providerEventId: 'bus-earlier',
    });
    const { store, publisher, publish } = world(event);

    const outcome = await publish(event.id);

    expect(outcome).toEqual({ outcome: 'duplicate' });
    expect(publisher.published).toEqual([]);
    expect(store.items.get(event.id)).toEqual(event);
  });

  it('puts nothing for an event that is not in the table', async () => {
    const { publisher, publish } = world();

    expect(await publish('gone#1#n#1')).toEqual({ outcome: 'missing' });
    expect(publisher.published).toEqual([]);
  });

  describe('when the bus refuses it', () => {
    it.each([
      ['too large', new EventTooLargeError(300_000, 262_144)],
      [
        'a failed entry',
        new EventEntryFailedError('ResourceNotFoundException', 'Event bus x does not exist.'),
      ],
    ])('fails with the refusal (%s) and leaves it pending for the retried record', async (_case, refusal) => {
      const event = anEvent();
      const { store, publisher, publish } = world(event);
      publisher.failWith = refusal;

      await expect(publish(event.id)).rejects.toBe(refusal);
      expect(store.items.get(event.id)?.status).toBe('pending');
    });
  });

  describe('when it was put but the status write never happened (a crash in between)', () => {
    it('puts it again on the retry, with the same eventId for consumers to drop the copy', async () => {
      const event = anEvent();
      const { store, publisher, publish } = world(event);
      store.beforeMark = () => {
        throw new Error('the invocation died here');
      };
      await expect(publish(event.id)).rejects.toThrow('the invocation died here');
      store.beforeMark = () => undefined;

      const outcome = await publish(event.id);

      expect(outcome).toEqual({ outcome: 'published', providerEventId: 'bus-2' });
      expect(publisher.published.map((put) => put.detail.eventId)).toEqual([event.id, event.id]);
    });
  });

  describe('when another invocation published and recorded it meanwhile', () => {
    it('reports it published again and keeps the record the other invocation wrote', async () => {
      const event = anEvent();
      const { store, publish } = world(event);
      const recordedByTheOther: OutboundEvent = {
        ...event,
        status: 'published',
        publishedAt: '2026-11-23T10:04:59.000Z',
        providerEventId: 'bus-other',
      };
      store.beforeMark = () => store.items.set(event.id, recordedByTheOther);

      const outcome = await publish(event.id);

      expect(outcome).toEqual({ outcome: 'published-again', providerEventId: 'bus-1' });
      expect(store.items.get(event.id)).toEqual(recordedByTheOther);
    });
  });
});

describe('the event consumers receive', () => {
  it('carries the outbound event id as eventId, over a detail field of the same name', () => {
    const event = anEvent({ detail: { eventId: 'from-the-node', tier: 'gold' } });

    expect(busEventOf(event).detail).toEqual({ eventId: event.id, tier: 'gold' });
  });
});

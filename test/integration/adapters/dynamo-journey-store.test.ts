import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoJourneyStore } from '../../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { createTestTable } from '../support/table.js';

let journeys: DynamoJourneyStore;

beforeEach(async () => {
  const { documentClient, tableName } = await createTestTable();
  journeys = new DynamoJourneyStore(documentClient, tableName);
});

const welcome = JourneyDefinition.parse({
  id: 'welcome',
  name: 'Welcome series',
  trigger: { event: 'signup_confirmed' },
  start: 'hello',
  nodes: [
    { id: 'hello', type: 'send_email', template: 'welcome', topic: 'newsletter', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

const goodbye = JourneyDefinition.parse({
  id: 'goodbye',
  name: 'Sorry to see you go',
  trigger: { event: 'unsubscribed' },
  start: 'done',
  nodes: [{ id: 'done', type: 'exit' }],
});

const firstDay = new Date('2026-11-01T09:00:00.000Z');
const secondDay = new Date('2026-11-02T09:00:00.000Z');

describe('the DynamoDB journey store', () => {
  describe('when a journey is published for the first time', () => {
    it('stores it as active version 1', async () => {
      const published = await journeys.publish(welcome, firstDay);

      expect(published).toEqual({
        definition: welcome,
        version: 1,
        status: 'active',
        publishedAt: firstDay.toISOString(),
      });
      expect(await journeys.getVersion('welcome', 1)).toEqual(published);
    });
  });

  describe('when the same definition is published again', () => {
    it('returns the existing version instead of making a new one', async () => {
      await journeys.publish(welcome, firstDay);

      const again = await journeys.publish(structuredClone(welcome), secondDay);

      expect(again).toMatchObject({ version: 1, publishedAt: firstDay.toISOString() });
      expect(await journeys.getVersion('welcome', 2)).toBeUndefined();
    });
  });

  describe('when a changed definition is published', () => {
    it('adds version 2, keeps version 1 as it was, and triggers with the latest', async () => {
      await journeys.publish(welcome, firstDay);
      const renamed = { ...welcome, name: 'Welcome series, take two' };

      const second = await journeys.publish(renamed, secondDay);

      expect(second).toMatchObject({ version: 2, publishedAt: secondDay.toISOString() });
      expect((await journeys.getVersion('welcome', 1))?.definition).toEqual(welcome);
      expect(await journeys.activeForTrigger('signup_confirmed')).toEqual([second]);
    });
  });

  describe('when looking for the journeys an event triggers', () => {
    it('returns only the journeys listening for that event', async () => {
      await journeys.publish(welcome, firstDay);
      const farewell = await journeys.publish(goodbye, firstDay);

      expect(await journeys.activeForTrigger('unsubscribed')).toEqual([farewell]);
      expect(await journeys.activeForTrigger('topics_changed')).toEqual([]);
    });
  });
});

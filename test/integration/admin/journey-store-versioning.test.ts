import { beforeEach, describe, expect, it } from 'vitest';
import type { DynamoJourneyStore } from '../../../lib/adapters/dynamodb/dynamo-journey-store.js';
import { ConcurrentUpdateError } from '../../../lib/domain/errors.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { JourneyArchivedError } from '../../../lib/ports/journey-store.js';
import { adminStores, welcomeJson } from './support.js';

let journeys: DynamoJourneyStore;

beforeEach(async () => {
  ({ journeys } = await adminStores());
});

const welcome = JourneyDefinition.parse(welcomeJson());
const renamed = JourneyDefinition.parse(welcomeJson({ name: 'Welcome series, take two' }));
const day = (n: number) => new Date(`2026-11-0${n}T09:00:00.000Z`);

describe('journey drafts in DynamoDB', () => {
  describe('when a draft is saved for a journey never published', () => {
    it('lists the journey as draft-only, and no event triggers it', async () => {
      const draft = await journeys.putDraft(welcome, day(1));

      expect(draft).toMatchObject({ journeyId: 'welcome', revision: 1, updatedAt: day(1).toISOString() });
      expect(await journeys.list()).toEqual([
        {
          journeyId: 'welcome',
          name: 'Welcome series',
          status: 'draft-only',
          latestVersion: 0,
          triggerEvent: 'signup_confirmed',
          hasDraft: true,
        },
      ]);
      expect(await journeys.status('welcome')).toBeUndefined();
      expect(await journeys.activeForTrigger('signup_confirmed')).toEqual([]);
    });
  });

  describe('when the draft is saved again', () => {
    it('replaces it and counts the revision', async () => {
      await journeys.putDraft(welcome, day(1));
      await journeys.putDraft(renamed, day(2));

      const draft = await journeys.getDraft('welcome');

      expect(draft?.revision).toBe(2);
      expect(draft?.definition).toMatchObject({ name: 'Welcome series, take two' });
      expect((await journeys.list())[0]?.name).toBe('Welcome series, take two');
    });
  });

  describe('when the draft is published', () => {
    it('makes it version 1, removes the draft and lets the trigger find it', async () => {
      const { revision } = await journeys.putDraft(welcome, day(1));

      const published = await journeys.publishDraft(welcome, revision, day(2));

      expect(published).toMatchObject({ version: 1, status: 'active', publishedAt: day(2).toISOString() });
      expect(await journeys.getDraft('welcome')).toBeUndefined();
      expect(await journeys.summary('welcome')).toMatchObject({ hasDraft: false, latestVersion: 1 });
      expect(await journeys.activeForTrigger('signup_confirmed')).toEqual([published]);
    });

    it('refuses when the draft was saved again after it was validated', async () => {
      const { revision } = await journeys.putDraft(welcome, day(1));
      await journeys.putDraft(renamed, day(2));

      await expect(journeys.publishDraft(welcome, revision, day(3))).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );
      expect(await journeys.versions('welcome')).toEqual([]);
      expect((await journeys.getDraft('welcome'))?.revision).toBe(2);
    });

    it('spends a draft identical to the latest version without making a new one', async () => {
      await journeys.publish(welcome, day(1));
      const { revision } = await journeys.putDraft(structuredClone(welcome), day(2));

      const published = await journeys.publishDraft(welcome, revision, day(3));

      expect(published.version).toBe(1);
      expect(await journeys.getDraft('welcome')).toBeUndefined();
      expect((await journeys.summary('welcome'))?.hasDraft).toBe(false);
    });
  });

  describe('when versions pile up', () => {
    it('lists each with its name and when it was published, oldest first', async () => {
      await journeys.publish(welcome, day(1));
      const { revision } = await journeys.putDraft(renamed, day(2));
      await journeys.publishDraft(renamed, revision, day(3));

      expect(await journeys.versions('welcome')).toEqual([
        { version: 1, name: 'Welcome series', publishedAt: day(1).toISOString() },
        { version: 2, name: 'Welcome series, take two', publishedAt: day(3).toISOString() },
      ]);
      expect(await journeys.versions('nobody')).toEqual([]);
    });

    it('keeps an existing draft when the repository publishes a version', async () => {
      await journeys.publish(welcome, day(1));
      await journeys.putDraft(renamed, day(2));

      await journeys.publish(JourneyDefinition.parse(welcomeJson({ holdout: 10 })), day(3));

      expect(await journeys.summary('welcome')).toMatchObject({ latestVersion: 2, hasDraft: true });
      expect((await journeys.getDraft('welcome'))?.revision).toBe(1);
    });
  });
});

describe('journey status in DynamoDB', () => {
  beforeEach(async () => {
    await journeys.publish(welcome, day(1));
  });

  it('takes a paused journey out of the trigger list, and back when resumed', async () => {
    await journeys.changeStatus('welcome', 'active', 'paused');
    expect(await journeys.status('welcome')).toBe('paused');
    expect(await journeys.activeForTrigger('signup_confirmed')).toEqual([]);

    await journeys.changeStatus('welcome', 'paused', 'active');
    expect(await journeys.activeForTrigger('signup_confirmed')).toHaveLength(1);
  });

  it('keeps a paused journey paused when a new version is published', async () => {
    await journeys.changeStatus('welcome', 'active', 'paused');

    const published = await journeys.publish(renamed, day(2));

    expect(published).toMatchObject({ version: 2, status: 'paused' });
    expect(await journeys.status('welcome')).toBe('paused');
    expect(await journeys.activeForTrigger('signup_confirmed')).toEqual([]);
  });

  it('refuses a status change from a status the journey no longer has', async () => {
    await journeys.changeStatus('welcome', 'active', 'paused');

    await expect(journeys.changeStatus('welcome', 'active', 'archived')).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    expect(await journeys.status('welcome')).toBe('paused');
  });

  describe('once archived', () => {
    beforeEach(async () => {
      await journeys.changeStatus('welcome', 'active', 'archived');
    });

    it('reports archived, for the runtime to end running enrollments', async () => {
      expect(await journeys.status('welcome')).toBe('archived');
      expect(await journeys.activeForTrigger('signup_confirmed')).toEqual([]);
    });

    it('takes no new draft and no changed version', async () => {
      await expect(journeys.putDraft(renamed, day(2))).rejects.toBeInstanceOf(JourneyArchivedError);
      await expect(journeys.publish(renamed, day(2))).rejects.toBeInstanceOf(JourneyArchivedError);
      expect(await journeys.versions('welcome')).toHaveLength(1);
    });

    it('still answers an unchanged republish from the repository with the version it has', async () => {
      expect(await journeys.publish(welcome, day(2))).toMatchObject({ version: 1, status: 'archived' });
    });
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { ConcurrentUpdateError } from '../../lib/domain/errors.js';
import { JourneyDefinition } from '../../lib/domain/journey-definition.js';
import { JourneyArchivedError } from '../../lib/ports/journey-store.js';
import type { ContractStores, MakeStores } from './stores.js';

/** A journey definition as a marketer would send it: JSON, defaults left out. */
const welcomeJson = (overrides: Record<string, unknown> = {}) => ({
  id: 'welcome',
  name: 'Welcome series',
  trigger: { event: 'signup_confirmed' },
  start: 'hello',
  nodes: [
    { id: 'hello', type: 'send_email', template: 'welcome-mail', next: 'pause' },
    { id: 'pause', type: 'wait', duration: 'P2D', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
  ...overrides,
});

/** JourneyStore: immutable versions, a pointer per journey, drafts with revisions, status changes. */
export const journeyStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
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

    describe('publishing and triggering', () => {
      describe('when a journey is published for the first time', () => {
        it('stores it as active version 1', async () => {
          const published = await stores.journeys.publish(welcome, firstDay);

          expect(published).toEqual({
            definition: welcome,
            version: 1,
            status: 'active',
            publishedAt: firstDay.toISOString(),
          });
          expect(await stores.journeys.getVersion('welcome', 1)).toEqual(published);
        });
      });

      describe('when the same definition is published again', () => {
        it('returns the existing version instead of making a new one', async () => {
          await stores.journeys.publish(welcome, firstDay);

          const again = await stores.journeys.publish(structuredClone(welcome), secondDay);

          expect(again).toMatchObject({ version: 1, publishedAt: firstDay.toISOString() });
          expect(await stores.journeys.getVersion('welcome', 2)).toBeUndefined();
        });
      });

      describe('when a changed definition is published', () => {
        it('adds version 2, keeps version 1 as it was, and triggers with the latest', async () => {
          await stores.journeys.publish(welcome, firstDay);
          const renamed = { ...welcome, name: 'Welcome series, take two' };

          const second = await stores.journeys.publish(renamed, secondDay);

          expect(second).toMatchObject({ version: 2, publishedAt: secondDay.toISOString() });
          expect((await stores.journeys.getVersion('welcome', 1))?.definition).toEqual(welcome);
          expect(await stores.journeys.activeForTrigger('signup_confirmed')).toEqual([second]);
        });
      });

      describe('when looking for the journeys an event triggers', () => {
        it('returns only the journeys listening for that event', async () => {
          await stores.journeys.publish(welcome, firstDay);
          const farewell = await stores.journeys.publish(goodbye, firstDay);

          expect(await stores.journeys.activeForTrigger('unsubscribed')).toEqual([farewell]);
          expect(await stores.journeys.activeForTrigger('topics_changed')).toEqual([]);
        });
      });
    });

    const welcomeDraft = JourneyDefinition.parse(welcomeJson());
    const renamed = JourneyDefinition.parse(welcomeJson({ name: 'Welcome series, take two' }));
    const day = (n: number) => new Date(`2026-11-0${n}T09:00:00.000Z`);

    describe('journey drafts', () => {
      describe('when a draft is saved for a journey never published', () => {
        it('lists the journey as draft-only, and no event triggers it', async () => {
          const draft = await stores.journeys.putDraft(welcomeDraft, day(1));

          expect(draft).toMatchObject({ journeyId: 'welcome', revision: 1, updatedAt: day(1).toISOString() });
          expect(await stores.journeys.list()).toEqual([
            {
              journeyId: 'welcome',
              name: 'Welcome series',
              status: 'draft-only',
              latestVersion: 0,
              triggerEvent: 'signup_confirmed',
              hasDraft: true,
            },
          ]);
          expect(await stores.journeys.status('welcome')).toBeUndefined();
          expect(await stores.journeys.activeForTrigger('signup_confirmed')).toEqual([]);
        });
      });

      describe('when the draft is saved again', () => {
        it('replaces it and counts the revision', async () => {
          await stores.journeys.putDraft(welcomeDraft, day(1));
          await stores.journeys.putDraft(renamed, day(2));

          const draft = await stores.journeys.getDraft('welcome');

          expect(draft?.revision).toBe(2);
          expect(draft?.definition).toMatchObject({ name: 'Welcome series, take two' });
          expect((await stores.journeys.list())[0]?.name).toBe('Welcome series, take two');
        });
      });

      describe('when the draft is published', () => {
        it('makes it version 1, removes the draft and lets the trigger find it', async () => {
          const { revision } = await stores.journeys.putDraft(welcomeDraft, day(1));

          const published = await stores.journeys.publishDraft(welcomeDraft, revision, day(2));

          expect(published).toMatchObject({
            version: 1,
            status: 'active',
            publishedAt: day(2).toISOString(),
          });
          expect(await stores.journeys.getDraft('welcome')).toBeUndefined();
          expect(await stores.journeys.summary('welcome')).toMatchObject({
            hasDraft: false,
            latestVersion: 1,
          });
          expect(await stores.journeys.activeForTrigger('signup_confirmed')).toEqual([published]);
        });

        it('refuses when the draft was saved again after it was validated', async () => {
          const { revision } = await stores.journeys.putDraft(welcomeDraft, day(1));
          await stores.journeys.putDraft(renamed, day(2));

          await expect(stores.journeys.publishDraft(welcomeDraft, revision, day(3))).rejects.toBeInstanceOf(
            ConcurrentUpdateError,
          );
          expect(await stores.journeys.versions('welcome')).toEqual([]);
          expect((await stores.journeys.getDraft('welcome'))?.revision).toBe(2);
        });

        it('spends a draft identical to the latest version without making a new one', async () => {
          await stores.journeys.publish(welcomeDraft, day(1));
          const { revision } = await stores.journeys.putDraft(structuredClone(welcomeDraft), day(2));

          const published = await stores.journeys.publishDraft(welcomeDraft, revision, day(3));

          expect(published.version).toBe(1);
          expect(await stores.journeys.getDraft('welcome')).toBeUndefined();
          expect((await stores.journeys.summary('welcome'))?.hasDraft).toBe(false);
        });
      });

      describe('when versions pile up', () => {
        it('lists each with its name and when it was published, oldest first', async () => {
          await stores.journeys.publish(welcomeDraft, day(1));
          const { revision } = await stores.journeys.putDraft(renamed, day(2));
          await stores.journeys.publishDraft(renamed, revision, day(3));

          expect(await stores.journeys.versions('welcome')).toEqual([
            { version: 1, name: 'Welcome series', publishedAt: day(1).toISOString() },
            { version: 2, name: 'Welcome series, take two', publishedAt: day(3).toISOString() },
          ]);
          expect(await stores.journeys.versions('nobody')).toEqual([]);
        });

        it('keeps an existing draft when the repository publishes a version', async () => {
          await stores.journeys.publish(welcomeDraft, day(1));
          await stores.journeys.putDraft(renamed, day(2));

          await stores.journeys.publish(JourneyDefinition.parse(welcomeJson({ holdout: 10 })), day(3));

          expect(await stores.journeys.summary('welcome')).toMatchObject({
            latestVersion: 2,
            hasDraft: true,
          });
          expect((await stores.journeys.getDraft('welcome'))?.revision).toBe(1);
        });
      });
    });

    describe('journey status', () => {
      beforeEach(async () => {
        await stores.journeys.publish(welcomeDraft, day(1));
      });

      it('takes a paused journey out of the trigger list, and back when resumed', async () => {
        await stores.journeys.changeStatus('welcome', 'active', 'paused');
        expect(await stores.journeys.status('welcome')).toBe('paused');
        expect(await stores.journeys.activeForTrigger('signup_confirmed')).toEqual([]);

        await stores.journeys.changeStatus('welcome', 'paused', 'active');
        expect(await stores.journeys.activeForTrigger('signup_confirmed')).toHaveLength(1);
      });

      it('keeps a paused journey paused when a new version is published', async () => {
        await stores.journeys.changeStatus('welcome', 'active', 'paused');

        const published = await stores.journeys.publish(renamed, day(2));

        expect(published).toMatchObject({ version: 2, status: 'paused' });
        expect(await stores.journeys.status('welcome')).toBe('paused');
        expect(await stores.journeys.activeForTrigger('signup_confirmed')).toEqual([]);
      });

      it('refuses a status change from a status the journey no longer has', async () => {
        await stores.journeys.changeStatus('welcome', 'active', 'paused');

        await expect(stores.journeys.changeStatus('welcome', 'active', 'archived')).rejects.toBeInstanceOf(
          ConcurrentUpdateError,
        );
        expect(await stores.journeys.status('welcome')).toBe('paused');
      });

      describe('once archived', () => {
        beforeEach(async () => {
          await stores.journeys.changeStatus('welcome', 'active', 'archived');
        });

        it('reports archived, for the runtime to end running enrollments', async () => {
          expect(await stores.journeys.status('welcome')).toBe('archived');
          expect(await stores.journeys.activeForTrigger('signup_confirmed')).toEqual([]);
        });

        it('takes no new draft and no changed version', async () => {
          await expect(stores.journeys.putDraft(renamed, day(2))).rejects.toBeInstanceOf(
            JourneyArchivedError,
          );
          await expect(stores.journeys.publish(renamed, day(2))).rejects.toBeInstanceOf(JourneyArchivedError);
          expect(await stores.journeys.versions('welcome')).toHaveLength(1);
        });

        it('still answers an unchanged republish from the repository with the version it has', async () => {
          expect(await stores.journeys.publish(welcomeDraft, day(2))).toMatchObject({
            version: 1,
            status: 'archived',
          });
        });
      });
    });
  });

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceJourneys } from '../../../lib/app/advance-journeys.js';
import { campaignMessage } from '../../../lib/app/campaign-jobs.js';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { ingestCall } from '../../../lib/app/ingest-events.js';
import { recordCampaignGoals } from '../../../lib/app/record-campaign-goals.js';
import { recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import { UnstorableItemError } from '../../../lib/domain/errors.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { defaultReputationThresholds } from '../../../lib/domain/reputation.js';
import { parseSesNotification } from '../../../lib/domain/ses-notification.js';
import { statsScope } from '../../../lib/domain/stats-keys.js';
import type { CampaignGoalStore } from '../../../lib/ports/campaign-goal-store.js';
import type { EnrollmentStore } from '../../../lib/ports/enrollment-store.js';
import type { IngestionStore } from '../../../lib/ports/ingestion-store.js';
import type { Outbox } from '../../../lib/ports/outbox.js';
import { aContact, aMessage, aSignup, aSubscribedContact, newId } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { springSale } from './support/campaigns.js';
import { aDeliveryWorld, advanceDepsFor, aWorld, deploymentFor, ingestDepsFor } from './support/worlds.js';

/**
 * What a Lambda that times out (or whose container dies) right after a write looks
 * like to the code: the write is in the table, and the call never returned. The
 * stream, SNS or the client then delivers the same source again.
 */
const diesAfter =
  <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
  async (...args: A): Promise<R> => {
    await write(...args);
    throw new Error('the invocation timed out after the write');
  };

/** Each wrapper dies after its first call only; the redelivery runs on the real store. */
const once = <A extends unknown[], R>(
  first: (...args: A) => Promise<R>,
  then: (...args: A) => Promise<R>,
) => {
  let called = false;
  return (...args: A): Promise<R> => {
    if (called) return then(...args);
    called = true;
    return first(...args);
  };
};

describe('when deliver dies right after recording that a message went out', () => {
  it('counts the send once: the count was written with the status, and the redelivery counts nothing', async () => {
    const delivery = await aDeliveryWorld({ settings: { maxClaimWaitMs: 0 } });
    await publishCompiled(
      delivery.world.templates,
      {
        id: 'confirm',
        kind: 'transactional',
        subject: 'Confirm',
        text: 'Confirm: {{ links.confirm }}',
        mjml: '<mj-text>Confirm</mj-text>',
      },
      delivery.clock.now(),
    );
    const contact = aContact({ email: 'once@example.com' });
    const message = aMessage(contact.id);
    await delivery.world.contacts.create(aSignup(contact, [message]));
    const outbox = delivery.world.outbox;
    const dying: Outbox = {
      get: (contactId, key) => outbox.get(contactId, key),
      enqueue: (queued) => outbox.enqueue(queued),
      claim: (contactId, key, now, leaseMs) => outbox.claim(contactId, key, now, leaseMs),
      markSent: once(diesAfter(outbox.markSent.bind(outbox)), outbox.markSent.bind(outbox)),
      markSkipped: (...args) => outbox.markSkipped(...args),
      markFailed: (...args) => outbox.markFailed(...args),
      markDeferred: (...args) => outbox.markDeferred(...args),
      sentSince: (contactId, channel, since) => outbox.sentSince(contactId, channel, since),
      release: (contactId, key) => outbox.release(contactId, key),
    };
    const deps = { ...delivery.deps, outbox: dying };

    await expect(deliverMessage(deps, message)).rejects.toThrow('timed out');
    expect(await deliverMessage(deps, message)).toEqual({ outcome: 'duplicate' });

    expect(delivery.world.mailer.sentTo('once@example.com')).toHaveLength(1);
    const today = delivery.clock.now().toISOString().slice(0, 10);
    expect(await delivery.world.stats.read(statsScope.transactional, today)).toEqual({ sent: 1 });
  });
});

/** A one-send journey: its entry is one step, which enters, visits `hello`, queues the mail and completes. */
const offer = JourneyDefinition.parse({
  id: 'offer',
  name: 'Offer',
  trigger: { event: 'track', condition: { 'event.data.name': 'Quiz Finished' } },
  entry: { reentry: 'always' },
  start: 'hello',
  nodes: [{ id: 'hello', type: 'send_email', template: 'welcome' }],
});

const aQuiz = (contactId: string, at: string): ContactEvent => ({
  id: newId(),
  contactId,
  type: 'track',
  at,
  data: { name: 'Quiz Finished', properties: {} },
});

describe('when the journeys function dies right after an entry is stored', () => {
  it('counts the entry, the member, the node and the end once: the redelivered event finds them counted', async () => {
    const world = aWorld('2026-11-02T09:00:00Z');
    await world.journeys.publish(offer, world.clock.now());
    const contact = aContact();
    await world.contacts.create(aSignup(contact));
    const deps = advanceDepsFor(world);
    const enrollments = deps.enrollments;
    const dying: EnrollmentStore = {
      start: once(diesAfter(enrollments.start.bind(enrollments)), enrollments.start.bind(enrollments)),
      advance: (...args) => enrollments.advance(...args),
      listForContact: (contactId) => enrollments.listForContact(contactId),
      activePage: (journeyId, cursor, limit) => enrollments.activePage(journeyId, cursor, limit),
    };
    const quiz = aQuiz(contact.id, world.clock.now().toISOString());

    await expect(advanceJourneys({ ...deps, enrollments: dying }, quiz)).rejects.toThrow('timed out');
    const redelivered = await advanceJourneys({ ...deps, enrollments: dying }, quiz);

    expect(redelivered).toMatchObject([{ journeyId: 'offer', outcome: 'already-started' }]);
    const [enrollment] = await world.enrollments.listForContact(contact.id);
    const group = enrollment?.group ?? 'treatment';
    expect(await world.stats.read('journey:offer', '2026-11-02')).toEqual({
      [`entered:${group}`]: 1,
      [`members:${group}`]: 1,
      'node:hello:entered': 1,
      completed: 1,
    });
  });
});

describe('when a journey fails on an event that is delivered again', () => {
  it('counts the failure once', async () => {
    const world = aWorld('2026-11-02T09:00:00Z');
    await world.journeys.publish(offer, world.clock.now());
    const contact = aContact();
    await world.contacts.create(aSignup(contact));
    const deps = advanceDepsFor(world);
    // A step DynamoDB cannot hold fails the same way on every delivery (Decision 31).
    const refusing: EnrollmentStore = {
      ...deps.enrollments,
      start: async () => {
        throw new UnstorableItemError('Item size has exceeded the maximum allowed size');
      },
      listForContact: (contactId) => deps.enrollments.listForContact(contactId),
      advance: (...args) => deps.enrollments.advance(...args),
      activePage: (journeyId, cursor, limit) => deps.enrollments.activePage(journeyId, cursor, limit),
    };
    const quiz = aQuiz(contact.id, world.clock.now().toISOString());

    for (let delivery = 0; delivery < 3; delivery += 1) {
      expect(await advanceJourneys({ ...deps, enrollments: refusing }, quiz)).toMatchObject([
        { journeyId: 'offer', outcome: 'failed' },
      ]);
    }

    expect(await world.stats.read('journey:offer', '2026-11-02')).toEqual({ errors: 1 });
  });
});

describe('when the journeys function dies right after a campaign recipient converted', () => {
  it('counts the conversion once: it was written with the mark', async () => {
    const spring = springSale({ goal: { event: 'order_completed', within: 'P7D' } });
    const world = aWorld('2026-11-22T12:00:00.000Z');
    const saved = await world.campaigns.put(spring, world.clock.now());
    const campaign = await world.campaigns.update(
      spring.id,
      { status: 'sent', launchedAt: '2026-11-20T09:00:00.000Z' },
      world.clock.now(),
      saved.version,
    );
    const contact = aSubscribedContact();
    await world.contacts.create(aSignup(contact));
    await world.outbox.enqueue(campaignMessage(campaign, contact.id, 'a', '2026-11-20T10:00:00.000Z'));
    const deps = deploymentFor(world).advance.campaignGoals;
    const goals = deps.goals;
    const dying: CampaignGoalStore = {
      forContact: (contactId) => goals.forContact(contactId),
      reachGoal: once(diesAfter(goals.reachGoal.bind(goals)), goals.reachGoal.bind(goals)),
    };
    const order: ContactEvent = {
      id: newId(),
      contactId: contact.id,
      type: 'order_completed',
      at: '2026-11-22T11:00:00.000Z',
      data: { orderId: newId(), revenue: 30, currency: 'EUR' },
    };

    await expect(recordCampaignGoals({ ...deps, goals: dying }, order)).rejects.toThrow('timed out');
    expect(await recordCampaignGoals({ ...deps, goals: dying }, order)).toEqual([]);

    expect(await world.stats.read(statsScope.campaign('spring'), '2026-11-20')).toEqual({
      'converted:treatment': 1,
      'converted-revenue-minor:treatment': 3000,
    });
  });
});

describe('when ingestion dies right after storing an order a journey’s mail sold', () => {
  it('credits the journey once: the shop’s retry is a duplicate and counts nothing', async () => {
    const world = aWorld('2026-11-20T10:00:00Z');
    const contactId = '01JD3UD5E7F9G1H3J5K7M9N1P3';
    const clicked = aMessage(contactId, {
      key: '01JD3UD5E8ENROLLMENT0000000_intro_1',
      kind: 'marketing',
      templateId: 'welcome-mail',
      journeyId: 'welcome',
      nodeId: 'intro',
      status: 'sent',
    });
    await world.contacts.create(
      aSignup(aContact({ id: contactId, email: 'clicker@example.com' }), [clicked]),
    );
    const click = parseSesNotification(
      readFileSync(join(import.meta.dirname, '../../fixtures/ses/click.json'), 'utf8'),
    );
    await recordSesFeedback(
      { ...world, settings: { attributionWindowDays: 7, reputation: defaultReputationThresholds } },
      click,
      { notificationId: 'sns-click' },
      world.clock.now(),
    );
    const deps = ingestDepsFor(world);
    const store = deps.store;
    const dying: IngestionStore = {
      resolve: (claim) => store.resolve(claim),
      resolveMany: (claims) => store.resolveMany(claims),
      marked: (marks) => store.marked(marks),
      record: once(diesAfter(store.record.bind(store)), store.record.bind(store)),
      order: (id, orderId) => store.order(id, orderId),
    };
    const order = {
      type: 'track',
      event: 'Order Completed',
      email: 'clicker@example.com',
      messageId: 'o-1',
      timestamp: '2026-11-25T10:00:00Z',
      properties: { order_id: 'o-1', revenue: 49.9, products: [{ sku: 'BOOK-1', price: 49.9 }] },
    };
    world.clock.set('2026-11-26T00:00:00Z');

    await expect(ingestCall({ ...deps, store: dying }, order, 'api')).rejects.toThrow('timed out');
    expect(await ingestCall({ ...deps, store: dying }, order, 'api')).toMatchObject({ status: 'duplicate' });

    expect(await world.stats.read('journey:welcome', '2026-11-25')).toEqual({
      'attributed:orders': 1,
      'attributed:revenue-minor': 4990,
    });
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../lib/adapters/dynamodb/keys.js';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { MessageInFlightError } from '../../../lib/domain/errors.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { Message } from '../../../lib/domain/message.js';
import type { Outbox } from '../../../lib/ports/outbox.js';
import { compileEmail } from '../../../lib/templates/compile-email.js';
import { aContact, aMessage, aSignup } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { aDeliveryWorld, type DeliveryWorld } from './support/worlds.js';

/** A world whose outbox can be made to fail recording a send, after the mailer has taken the mail. */
const createWorld = async (settings: { claimLeaseMs: number; maxClaimWaitMs: number }) => {
  const delivery = await aDeliveryWorld({ settings });
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
  let failMarkSent = false;
  const outbox = delivery.world.outbox;
  const flakyOutbox: Outbox = {
    get: (contactId, key) => outbox.get(contactId, key),
    enqueue: (message) => outbox.enqueue(message),
    claim: (contactId, key, now, leaseMs) => outbox.claim(contactId, key, now, leaseMs),
    markSent: async (contactId, key, outcome, counters) => {
      if (failMarkSent) {
        failMarkSent = false;
        throw new Error('the table is unreachable');
      }
      await outbox.markSent(contactId, key, outcome, counters);
    },
    markSkipped: (contactId, key, reason, event, counters) =>
      outbox.markSkipped(contactId, key, reason, event, counters),
    markFailed: (contactId, key, error, counters) => outbox.markFailed(contactId, key, error, counters),
    markDeferred: (contactId, key, deferral, counters) =>
      outbox.markDeferred(contactId, key, deferral, counters),
    sentSince: (contactId, channel, since) => outbox.sentSince(contactId, channel, since),
    release: (contactId, key) => outbox.release(contactId, key),
  };
  return {
    ...delivery,
    deps: { ...delivery.deps, outbox: flakyOutbox },
    failNextMarkSent: () => {
      failMarkSent = true;
    },
    sentTo: (address: string) => delivery.world.mailer.sentTo(address).length,
    /** The events written under the contact, as the journeys function would receive them. */
    eventsOf: (contactId: string) => delivery.world.eventsOf(contactId),
    queue: async (message: Message) => {
      const contact = aContact({
        id: message.contactId,
        email: `${message.contactId.toLowerCase()}@example.com`,
      });
      await delivery.world.contacts.create(aSignup(contact, [message]));
    },
  };
};

describe('delivering an outbox message', () => {
  let world: DeliveryWorld & Awaited<ReturnType<typeof createWorld>>;
  beforeEach(async () => {
    world = await createWorld({ claimLeaseMs: 60_000, maxClaimWaitMs: 1_000 });
  });

  describe('when recording the send fails after the mailer accepted the mail', () => {
    it('keeps the claim, so the redelivered record does not send it again', async () => {
      const message = aMessage('MARKSENT1');
      await world.queue(message);
      world.failNextMarkSent();

      await expect(deliverMessage(world.deps, message)).rejects.toThrow('the table is unreachable');
      // The redelivery comes at once, while the claim is held: it must not send.
      const strictDeps = { ...world.deps, settings: { ...world.deps.settings, maxClaimWaitMs: 0 } };
      await expect(deliverMessage(strictDeps, message)).rejects.toBeInstanceOf(MessageInFlightError);

      expect(world.sentTo('marksent1@example.com')).toBe(1);
      expect((await world.outbox.get(message.contactId, message.key))?.status).toBe('sending');
    });
  });

  describe('when a journey message is skipped', () => {
    it('tells the journey, once, which message and why', async () => {
      const message = aMessage('UNASKED1', {
        kind: 'marketing',
        templateId: 'news',
        journeyId: 'reminders',
        enrollmentId: 'order-1.0',
        nodeId: 'first-reminder',
        key: 'reminders#order-1.0#first-reminder#1',
      });
      await world.queue(message);

      expect(await deliverMessage(world.deps, message)).toEqual({
        outcome: 'skipped',
        reason: 'not-subscribed',
      });
      expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'duplicate' });

      expect(world.eventsOf(message.contactId)).toEqual([
        expect.objectContaining({
          type: 'message_skipped',
          data: {
            journeyId: 'reminders',
            enrollmentId: 'order-1.0',
            nodeId: 'first-reminder',
            channel: 'email',
            templateId: 'news',
            reason: 'not-subscribed',
          },
        }),
      ]);
    });

    it('writes no event for a message no journey sent', async () => {
      const message = aMessage('NOJOURNEY1', { kind: 'marketing', templateId: 'news' });
      await world.queue(message);
      expect(await deliverMessage(world.deps, message)).toEqual({
        outcome: 'skipped',
        reason: 'not-subscribed',
      });
      expect(world.eventsOf(message.contactId)).toEqual([]);
    });
  });

  it('skips a message queued by a journey archived since', async () => {
    const { journeys } = world.world;
    await journeys.publish(
      JourneyDefinition.parse({
        id: 'retired',
        name: 'Retired',
        trigger: { event: 'signup_confirmed' },
        start: 'x',
        nodes: [{ id: 'x', type: 'exit' }],
      }),
      world.clock.now(),
    );
    await journeys.changeStatus('retired', 'active', 'archived');
    const message = aMessage('RETIRED1', { journeyId: 'retired', kind: 'transactional' });
    await world.queue(message);
    expect(await deliverMessage(world.deps, message)).toEqual({
      outcome: 'skipped',
      reason: 'journey-archived',
    });
    expect(world.sentTo('retired1@example.com')).toBe(0);
  });

  describe('the HTML it sends', () => {
    const notice = {
      id: 'notice',
      kind: 'transactional',
      subject: 'Notice',
      text: 'A notice',
      mjml: '<mj-text>A notice for {{ contact.email }}</mj-text>',
    } as const;

    it('is the HTML stored with the latest version, rendered with Liquid, not the template compiled again', async () => {
      const compiled = await compileEmail(notice);
      const stored = { ...compiled, layout: compiled.layout.replace('<body', '<!-- as stored --><body') };
      await world.world.templates.publish(notice, stored, world.clock.now());
      const message = aMessage('STORED1', { templateId: 'notice' });
      await world.queue(message);

      expect(await deliverMessage(world.deps, message)).toMatchObject({ outcome: 'sent' });

      const [mail] = world.world.mailer.sentTo('stored1@example.com');
      expect(mail?.email.html).toContain('<!-- as stored --><body');
      expect(mail?.email.html).toContain('A notice for stored1@example.com');
    });

    it('is not made for a version stored before templates were compiled: the message fails, saying how it gets compiled', async () => {
      world.world.table.write({
        put: {
          ...keys.templateVersion('notice', 1),
          type: 'template-version',
          template: notice,
          version: 1,
          publishedAt: world.clock.now().toISOString(),
        },
      });
      const message = aMessage('LEGACY1', { templateId: 'notice' });
      await world.queue(message);

      expect(await deliverMessage(world.deps, message)).toEqual({
        outcome: 'failed',
        error:
          'template "notice" version 1 has no compiled HTML; the content seed compiles each template\'s latest version when it deploys, or publish the template again',
      });
      expect(world.sentTo('legacy1@example.com')).toBe(0);
    });
  });

  describe('when its template renders more than the cap', () => {
    it('marks it failed, naming the field and the limit, and sends nothing', async () => {
      const runaway =
        '{% for i in (1..5000) %}{% for j in (1..1000) %}<p>Buy now!</p>{% endfor %}{% endfor %}';
      await publishCompiled(
        world.world.templates,
        {
          id: 'runaway',
          kind: 'transactional',
          subject: 'Offers',
          text: 'Offers',
          mjml: `<mj-text>${runaway}</mj-text>`,
        },
        world.clock.now(),
      );
      const message = aMessage('RUNAWAY1', { templateId: 'runaway' });
      await world.queue(message);

      const outcome = await deliverMessage(world.deps, message);

      const error = expect.stringMatching(/^render: template "runaway": mjml: renders to more than 256 KiB/);
      expect(outcome).toEqual({ outcome: 'failed', error });
      expect(await world.outbox.get(message.contactId, message.key)).toMatchObject({
        status: 'failed',
        error,
      });
      expect(world.sentTo('runaway1@example.com')).toBe(0);
    });
  });
});

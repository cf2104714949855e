import { describe, expect, it } from 'vitest';
import {
  type DeliveryOutcome,
  deferredCopyKey,
  deliverMessage,
  sendingPausedRecheckMs,
} from '../../../lib/app/deliver-message.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import { streamRetries } from '../../../lib/config/timing.js';
import { MailerPausedError, MailerThrottledError } from '../../../lib/domain/errors.js';
import type { Mailer, OutgoingEmail } from '../../../lib/ports/mailer.js';
import { aJourneyMessage, aSubscribedContact } from '../../support/builders.js';
import { aDeliveryWorld, type DeliveryWorld, timerShards } from './support/worlds.js';

/** A seeded generator, so a failing run can be replayed. */
const seeded = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
};

/**
 * SES as it pushes back: 30% of calls throttled (TooManyRequestsException), 5% failing
 * with a 5xx it did not act on. Both are MailerThrottledError by the time deliver sees them
 * (lib/adapters/ses/ses-mailer.ts); neither sends anything.
 */
const flakySes = (inner: Mailer, random: () => number): Mailer & { calls: () => number } => {
  let calls = 0;
  return {
    calls: () => calls,
    send: async (email: OutgoingEmail) => {
      calls += 1;
      const roll = random();
      if (roll < 0.3)
        throw new MailerThrottledError('TooManyRequestsException: Maximum sending rate exceeded');
      if (roll < 0.35) throw new MailerThrottledError('InternalFailure: 500');
      return inner.send(email);
    },
  };
};

/** The stream mapping's view of one record: handled, or retried until its attempts run out. */
const deliverAsTheStreamWould = async (
  world: DeliveryWorld,
  mailer: Mailer,
  ref: { contactId: string; key: string },
): Promise<DeliveryOutcome | 'dead-lettered'> => {
  for (let attempt = 0; attempt <= streamRetries.retryAttempts; attempt += 1) {
    try {
      return await deliverMessage({ ...world.deps, mailer }, ref);
    } catch (error) {
      if (!(error instanceof MailerThrottledError)) throw error;
    }
  }
  return 'dead-lettered';
};

describe('when SES throttles 30% of sends and fails 5%', () => {
  it('sends each of 500 messages exactly once, none dead-lettered, never faster than the account’s rate', async () => {
    const world = await aDeliveryWorld();
    const refs: Array<{ contactId: string; key: string }> = [];
    for (let n = 0; n < 500; n += 1) {
      const contact = aSubscribedContact({ email: `reader${n}@example.com` });
      const message = aJourneyMessage(contact.id);
      await world.add(contact, [message]);
      refs.push({ contactId: contact.id, key: message.key });
    }
    const ses = flakySes(world.world.mailer, seeded(20261205));

    const outcomes: Array<DeliveryOutcome | 'dead-lettered'> = [];
    for (const ref of refs) outcomes.push(await deliverAsTheStreamWould(world, ses, ref));

    const sent = world.world.mailer.sent();
    expect(outcomes.filter((outcome) => outcome === 'dead-lettered')).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 'dead-lettered' || outcome.outcome !== 'sent')).toEqual(
      [],
    );
    expect(sent).toHaveLength(500);
    expect(new Set(sent.map((email) => email.email.to)).size).toBe(500);
    expect(ses.calls()).toBeGreaterThan(600);
    const perSecond = new Map<string, number>();
    for (const email of sent)
      perSecond.set(email.at.slice(0, 19), (perSecond.get(email.at.slice(0, 19)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(world.deps.settings.emailSendRate);
  });
});

describe('when SES has paused the account’s sending', () => {
  it('holds the message, deferred to look again later, instead of failing or dead-lettering it', async () => {
    const world = await aDeliveryWorld();
    const contact = aSubscribedContact();
    const message = aJourneyMessage(contact.id);
    await world.add(contact, [message]);
    const paused: Mailer = {
      send: () => Promise.reject(new MailerPausedError('SendingPausedException: sending is paused')),
    };

    const outcome = await deliverMessage({ ...world.deps, mailer: paused }, message);

    expect(outcome).toMatchObject({ outcome: 'deferred', reason: 'sending-paused' });
    expect(await world.outbox.get(contact.id, message.key)).toMatchObject({
      status: 'deferred',
      deferReason: 'sending-paused',
    });
    expect(world.world.mailer.sent()).toEqual([]);
  });

  it('sends the held message by itself once SES lets the account send again', async () => {
    const world = await aDeliveryWorld();
    const contact = aSubscribedContact();
    const message = aJourneyMessage(contact.id);
    await world.add(contact, [message]);
    await deliverMessage(
      {
        ...world.deps,
        mailer: { send: () => Promise.reject(new MailerPausedError('SendingPausedException: paused')) },
      },
      message,
    );

    world.clock.advance(sendingPausedRecheckMs + 60_000);
    await fireDueTimers({ timers: world.timers }, world.clock.now(), {
      shards: timerShards,
      settleSeconds: 0,
    });
    const copy = { contactId: contact.id, key: deferredCopyKey(message.key) };

    expect(await deliverMessage(world.deps, copy)).toMatchObject({ outcome: 'sent' });
    expect(world.world.mailer.sentTo(contact.email)).toHaveLength(1);
  });
});

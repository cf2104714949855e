import { describe, expect, it } from 'vitest';
import {
  type DeliveryOutcome,
  deferredCopyKey,
  deliverMessage,
  sendingPausedRecheckMs,
} from '../../../lib/app/deliver-message.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import { streamRetries } from '../../../lib/config/timing.js';
import { TexterOptedOutError, TexterThrottledError } from '../../../lib/domain/errors.js';
import type { OutgoingSms, Texter } from '../../../lib/ports/texter.js';
import { aJourneyMessage, anSmsMessage, aSubscribedContact } from '../../support/builders.js';
import { aDeliveryWorld, type DeliveryWorld, timerShards } from './support/worlds.js';

/** A seeded generator, so a failing run can be replayed. */
const seeded = (seed: number) => {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
};

let nextNumber = 5_557_000;
const aNumber = (): string => {
  nextNumber += 1;
  return `+1206${nextNumber}`;
};

/**
 * SNS as it pushes back on Publish: 30% of calls throttled (ThrottlingException, "Rate
 * exceeded"), 5% failing with a 5xx. Both are TexterThrottledError by the time deliver
 * sees them (lib/adapters/sns/sns-texter.ts); neither sends anything.
 */
const flakySns = (inner: Texter, random: () => number): Texter & { calls: () => number } => {
  let calls = 0;
  return {
    calls: () => calls,
    isOptedOut: (phoneNumber) => inner.isOptedOut(phoneNumber),
    spendLimitReached: () => inner.spendLimitReached(),
    send: async (sms: OutgoingSms) => {
      calls += 1;
      const roll = random();
      if (roll < 0.3) throw new TexterThrottledError('ThrottlingException: Rate exceeded');
      if (roll < 0.35) throw new TexterThrottledError('InternalErrorException: 500');
      return inner.send(sms);
    },
  };
};

/** The stream mapping's view of one record: handled, or retried until its attempts run out. */
const deliverAsTheStreamWould = async (
  world: DeliveryWorld,
  texter: Texter,
  ref: { contactId: string; key: string },
): Promise<DeliveryOutcome | 'dead-lettered'> => {
  for (let attempt = 0; attempt <= streamRetries.retryAttempts; attempt += 1) {
    try {
      return await deliverMessage({ ...world.deps, texter }, ref);
    } catch (error) {
      if (!(error instanceof TexterThrottledError)) throw error;
    }
  }
  return 'dead-lettered';
};

const aTextFor = async (world: DeliveryWorld) => {
  const phone = aNumber();
  const contact = aSubscribedContact({ phone });
  const message = anSmsMessage(contact.id);
  await world.add(contact, [message]);
  return { phone, contact, message };
};

describe('when SNS throttles 30% of texts and fails 5%', () => {
  it('sends each of 200 texts exactly once, none dead-lettered, never faster than the number’s rate', async () => {
    const world = await aDeliveryWorld({ settings: { smsSendRate: 3 } });
    const refs: Array<{ contactId: string; key: string }> = [];
    for (let n = 0; n < 200; n += 1) {
      const { message } = await aTextFor(world);
      refs.push({ contactId: message.contactId, key: message.key });
    }
    const sns = flakySns(world.world.texter, seeded(20261206));

    const outcomes: Array<DeliveryOutcome | 'dead-lettered'> = [];
    for (const ref of refs) outcomes.push(await deliverAsTheStreamWould(world, sns, ref));

    const sent = world.world.texter.sent();
    expect(outcomes.filter((outcome) => outcome === 'dead-lettered' || outcome.outcome !== 'sent')).toEqual(
      [],
    );
    expect(sent).toHaveLength(200);
    expect(new Set(sent.map((text) => text.sms.to)).size).toBe(200);
    expect(sns.calls()).toBeGreaterThan(240);
    const perSecond = new Map<string, number>();
    for (const text of sent)
      perSecond.set(text.at.slice(0, 19), (perSecond.get(text.at.slice(0, 19)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(3);
  });

  it('keeps texts to the number’s rate in a window of their own, which email does not share', async () => {
    const world = await aDeliveryWorld({ settings: { smsSendRate: 1, emailSendRate: 1 } });
    const first = await aTextFor(world);
    const second = await aTextFor(world);
    const reader = aSubscribedContact();
    const email = aJourneyMessage(reader.id);
    await world.add(reader, [email]);

    await deliverMessage(world.deps, first.message);
    await deliverMessage(world.deps, email);
    await deliverMessage(world.deps, second.message);

    const secondOf = (at: string | undefined) => at?.slice(0, 19);
    const [one, two] = world.world.texter.sent();
    const [mail] = world.world.mailer.sent();
    expect(secondOf(mail?.at)).toBe(secondOf(one?.at));
    expect(secondOf(two?.at)).not.toBe(secondOf(one?.at));
  });
});

describe('when SNS answers that the number opted out', () => {
  it('skips the text as opted-out, records the contact’s SMS consent withdrawn, and does not retry it', async () => {
    const world = await aDeliveryWorld();
    const { phone, contact, message } = await aTextFor(world);
    world.world.texter.failNext(new TexterOptedOutError('OptedOutException: the number opted out'));

    expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'skipped', reason: 'opted-out' });
    expect(await deliverMessage(world.deps, message)).toEqual({ outcome: 'duplicate' });

    expect(world.world.texter.sentTo(phone)).toEqual([]);
    const after = await world.contacts.get(contact.id);
    expect(after?.consent.sms.status).toBe('unsubscribed');
    expect((await world.contacts.consentLog(contact.id)).at(-1)).toMatchObject({
      channel: 'sms',
      action: 'unsubscribed',
      source: { kind: 'carrier-opt-out' },
    });
    expect(
      await world.world.stats.read('journey:reminder', world.clock.now().toISOString().slice(0, 10)),
    ).toEqual({
      'skipped:opted-out': 1,
      'node:text:skipped:opted-out': 1,
    });
  });
});

describe('when the account’s monthly SMS spend limit is reached', () => {
  it('holds the text, deferred to look again later, instead of sending it into SNS’s drop or dead-lettering it', async () => {
    const world = await aDeliveryWorld();
    const { phone, contact, message } = await aTextFor(world);
    world.world.texter.reachSpendLimit();

    const outcome = await deliverMessage(world.deps, message);

    expect(outcome).toMatchObject({ outcome: 'deferred', reason: 'sms-spend-limit' });
    expect(await world.outbox.get(contact.id, message.key)).toMatchObject({
      status: 'deferred',
      deferReason: 'sms-spend-limit',
    });
    expect(world.world.texter.sentTo(phone)).toEqual([]);
  });

  it('keeps waiting while the limit holds, and sends the text by itself once there is room again', async () => {
    const world = await aDeliveryWorld();
    const { phone, contact, message } = await aTextFor(world);
    world.world.texter.reachSpendLimit();
    await deliverMessage(world.deps, message);
    const fire = async () => {
      world.clock.advance(sendingPausedRecheckMs + 60_000);
      await fireDueTimers({ timers: world.timers }, world.clock.now(), {
        shards: timerShards,
        settleSeconds: 0,
      });
    };

    await fire();
    const firstCopy = { contactId: contact.id, key: deferredCopyKey(message.key) };
    expect(await deliverMessage(world.deps, firstCopy)).toMatchObject({
      outcome: 'deferred',
      reason: 'sms-spend-limit',
    });

    // A new month, or a raised MonthlySpendLimit.
    world.world.texter.reachSpendLimit(false);
    await fire();
    const secondCopy = { contactId: contact.id, key: deferredCopyKey(firstCopy.key) };
    expect(await deliverMessage(world.deps, secondCopy)).toMatchObject({ outcome: 'sent' });
    expect(world.world.texter.sentTo(phone)).toHaveLength(1);
  });

  it('holds no email: the limit is the texts’ alone', async () => {
    const world = await aDeliveryWorld();
    world.world.texter.reachSpendLimit();
    const contact = aSubscribedContact();
    const email = aJourneyMessage(contact.id);
    await world.add(contact, [email]);

    expect(await deliverMessage(world.deps, email)).toMatchObject({ outcome: 'sent' });
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryContactStore } from '../../../lib/adapters/memory/memory-contact-store.js';
import type { MemorySuppressionStore } from '../../../lib/adapters/memory/memory-suppression-store.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { recordInboundSms } from '../../../lib/app/record-inbound-sms.js';
import { type SignUpDeps, signUp } from '../../../lib/app/sign-up.js';
import type { InboundSms } from '../../../lib/domain/inbound-sms.js';
import { aWorld, signUpDepsFor } from './support/worlds.js';

interface World {
  memory: MemoryWorld;
  signUpDeps: SignUpDeps;
  contacts: MemoryContactStore;
  suppressions: MemorySuppressionStore;
}

const createWorld = async (): Promise<World> => {
  const memory = aWorld();
  return {
    memory,
    contacts: memory.contacts,
    suppressions: memory.suppressions,
    signUpDeps: signUpDepsFor(memory, 600_000),
  };
};

const signUpWith = (world: World, body: Record<string, unknown>) =>
  signUp(world.signUpDeps, { body: { consent: 'on', ...body }, source: { ip: '192.0.2.1' } });

const contactOf = async (world: World, email: string) => {
  const id = await world.contacts.findIdByEmail(email);
  const contact = id === undefined ? undefined : await world.contacts.get(id);
  if (contact === undefined) throw new Error(`no contact for ${email}`);
  return contact;
};

const stop = (from: string, body = 'STOP'): InboundSms => ({
  originationNumber: from,
  destinationNumber: '+12125550101',
  messageBody: body,
  inboundMessageId: `in-${Math.random().toString(36).slice(2)}`,
});

describe('SMS consent at signup', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });

  it('asks for SMS consent separately: pending, with its own log entry, and files the number', async () => {
    await signUpWith(world, { email: 'ann@example.com', phone: '+14255550182', sms_consent: 'on' });

    const contact = await contactOf(world, 'ann@example.com');
    expect(contact.consent).toMatchObject({ email: { status: 'pending' }, sms: { status: 'pending' } });
    const log = await world.contacts.consentLog(contact.id);
    expect(log.map((entry) => [entry.channel, entry.action])).toEqual(
      expect.arrayContaining([
        ['email', 'requested'],
        ['sms', 'requested'],
      ]),
    );
    expect(await world.contacts.findIdByPhone('+14255550182')).toBe(contact.id);
  });

  it('moves the number pointer when the contact asks for SMS on a new number', async () => {
    const deps = {
      ...world.signUpDeps,
      settings: {
        ...world.signUpDeps.settings,
        confirmationLimits: { ...world.signUpDeps.settings.confirmationLimits, resendAfterMs: 0 },
      },
    };
    const signUpAgain = (phone: string) =>
      signUp(deps, {
        body: { consent: 'on', email: 'moves@example.com', phone, sms_consent: 'on' },
        source: { ip: '192.0.2.1' },
      });
    await signUpAgain('+14255550186');

    await signUpAgain('+14255550187');

    const contact = await contactOf(world, 'moves@example.com');
    expect(contact.phone).toBe('+14255550187');
    expect(await world.contacts.findIdByPhone('+14255550187')).toBe(contact.id);
    expect(await world.contacts.findIdByPhone('+14255550186')).toBeUndefined();
  });

  it('keeps SMS at none when only a phone is given', async () => {
    await signUpWith(world, { email: 'bob@example.com', phone: '+14255550183' });

    const contact = await contactOf(world, 'bob@example.com');
    expect(contact.consent.sms.status).toBe('none');
    expect((await world.contacts.consentLog(contact.id)).map((entry) => entry.channel)).toEqual(['email']);
  });

  describe('when another contact already gave the same number', () => {
    it('keeps the number on the new profile and leaves it filed under the first contact', async () => {
      await signUpWith(world, { email: 'parent@example.com', phone: '+14255550184', sms_consent: true });
      await signUpWith(world, { email: 'child@example.com', phone: '+14255550184', sms_consent: true });

      const first = await contactOf(world, 'parent@example.com');
      const second = await contactOf(world, 'child@example.com');
      expect(second.phone).toBe('+14255550184');
      expect(await world.contacts.findIdByPhone('+14255550184')).toBe(first.id);
    });
  });
});

describe('an inbound SMS reply', () => {
  let world: World;
  const deps = () => ({
    contacts: world.contacts,
    phones: world.contacts,
    suppressions: world.suppressions,
    clock: world.memory.clock,
    ids: world.memory.ids,
  });
  beforeEach(async () => {
    world = await createWorld();
  });

  describe('when it is STOP from a contact’s number', () => {
    it('unsubscribes the contact from SMS, logs it, and suppresses the number', async () => {
      await signUpWith(world, { email: 'ann@example.com', phone: '+14255550190', sms_consent: 'on' });
      const contact = await contactOf(world, 'ann@example.com');

      expect(await recordInboundSms(deps(), stop('+14255550190', 'Stop texting me'))).toEqual({
        reply: 'stop',
        contactId: contact.id,
        unsubscribed: true,
      });

      const after = await contactOf(world, 'ann@example.com');
      expect(after.consent.sms.status).toBe('unsubscribed');
      expect(after.consent.email.status).toBe('pending');
      expect((await world.contacts.consentLog(contact.id)).at(-1)).toMatchObject({
        channel: 'sms',
        action: 'unsubscribed',
        source: { kind: 'sms-reply' },
      });
      expect(await world.suppressions.isSuppressed('sms', '+14255550190', world.memory.clock.now())).toBe(
        true,
      );
    });

    it('changes nothing more when the same reply is delivered again', async () => {
      await signUpWith(world, { email: 'ann@example.com', phone: '+14255550191', sms_consent: 'on' });
      const contact = await contactOf(world, 'ann@example.com');
      const reply = stop('+14255550191');

      await recordInboundSms(deps(), reply);
      const logLength = (await world.contacts.consentLog(contact.id)).length;
      expect(await recordInboundSms(deps(), reply)).toMatchObject({ reply: 'stop', unsubscribed: false });
      expect(await world.contacts.consentLog(contact.id)).toHaveLength(logLength);
    });
  });

  describe('when it is STOP from a number nobody gave us', () => {
    it('still suppresses the number', async () => {
      expect(await recordInboundSms(deps(), stop('+14255550192'))).toEqual({
        reply: 'stop',
        unsubscribed: false,
      });
      expect(await world.suppressions.isSuppressed('sms', '+14255550192', world.memory.clock.now())).toBe(
        true,
      );
    });
  });

  describe('when it is START or a conversation', () => {
    it('neither suppresses nor lifts anything', async () => {
      expect(await recordInboundSms(deps(), stop('+14255550193', 'START'))).toEqual({ reply: 'start' });
      expect(await recordInboundSms(deps(), stop('+14255550193', 'When do you open?'))).toEqual({
        reply: 'other',
      });
      expect(await world.suppressions.isSuppressed('sms', '+14255550193', world.memory.clock.now())).toBe(
        false,
      );
    });
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryContactStore } from '../../../lib/adapters/memory/memory-contact-store.js';
import { type SignUpDeps, signUp } from '../../../lib/app/sign-up.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { aWorld, signUpDepsFor } from './support/worlds.js';

interface World {
  deps: SignUpDeps;
  contacts: MemoryContactStore;
}

const createWorld = async (): Promise<World> => {
  const world = aWorld();
  // Every repeated signup asks again, so what a later one changes can be seen.
  return { contacts: world.contacts, deps: signUpDepsFor(world, 0) };
};

const signUpWith = (world: World, body: Record<string, unknown>) =>
  signUp(world.deps, {
    body: { consent: 'on', topics: 'newsletter', ...body },
    source: { ip: '192.0.2.1', userAgent: 'test-browser/1.0' },
  });

const contactOf = async (world: World, email: string) => {
  const id = await world.contacts.findIdByEmail(email);
  const contact = id === undefined ? undefined : await world.contacts.get(id);
  if (contact === undefined) throw new Error(`no contact for ${email}`);
  return contact;
};

describe('when a signup carries the browser’s time zone', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });

  it('stores the zone on the new contact and in its consent record', async () => {
    await signUpWith(world, { email: 'ann@example.com', timezone: 'Europe/Berlin', form: 'footer' });

    const contact = await contactOf(world, 'ann@example.com');
    expect(contact.timeZone).toBe('Europe/Berlin');
    expect(await world.contacts.consentLog(contact.id)).toEqual([
      expect.objectContaining({
        action: 'requested',
        source: {
          kind: 'signup-form',
          form: 'footer',
          ip: '192.0.2.1',
          userAgent: 'test-browser/1.0',
          timeZone: 'Europe/Berlin',
        },
      }),
    ]);
  });

  it('records it in the SMS consent record too', async () => {
    await signUpWith(world, {
      email: 'sms@example.com',
      timezone: 'US/Pacific',
      phone: '+14255550190',
      sms_consent: 'on',
    });

    const contact = await contactOf(world, 'sms@example.com');
    const log = await world.contacts.consentLog(contact.id);
    expect(log.map((entry) => [entry.channel, entry.source.timeZone])).toEqual(
      expect.arrayContaining([
        ['email', 'US/Pacific'],
        ['sms', 'US/Pacific'],
      ]),
    );
  });

  it('stores no zone when the field is empty (the page ran no script)', async () => {
    await signUpWith(world, { email: 'noscript@example.com', timezone: '' });

    const contact = await contactOf(world, 'noscript@example.com');
    expect(contact.timeZone).toBeUndefined();
    const [entry] = await world.contacts.consentLog(contact.id);
    expect(entry?.source).not.toHaveProperty('timeZone');
  });

  it('refuses a zone that is none, naming timezone, and stores nothing', async () => {
    const refusal = await signUpWith(world, { email: 'mars@example.com', timezone: 'Mars/Olympus' }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refusal).toBeInstanceOf(ValidationError);
    expect(refusal instanceof ValidationError ? refusal.fields : {}).toEqual({
      timezone: 'must be an IANA time zone such as Europe/Berlin',
    });
    expect(await world.contacts.findIdByEmail('mars@example.com')).toBeUndefined();
  });
});

describe('when a known contact signs up again', () => {
  let world: World;
  beforeEach(async () => {
    world = await createWorld();
  });

  it('takes the new zone with the new confirmation request: they may have moved', async () => {
    await signUpWith(world, { email: 'mover@example.com', timezone: 'Europe/Berlin' });
    await signUpWith(world, { email: 'mover@example.com', timezone: 'America/New_York' });

    const contact = await contactOf(world, 'mover@example.com');
    expect(contact.timeZone).toBe('America/New_York');
    const log = await world.contacts.consentLog(contact.id);
    expect(log.map((entry) => entry.source.timeZone)).toEqual(['Europe/Berlin', 'America/New_York']);
  });

  it('keeps the stored zone when the new signup has none', async () => {
    await signUpWith(world, { email: 'keeper@example.com', timezone: 'Europe/Berlin' });
    await signUpWith(world, { email: 'keeper@example.com' });

    expect((await contactOf(world, 'keeper@example.com')).timeZone).toBe('Europe/Berlin');
  });

  it('leaves a subscribed contact’s zone alone: anyone can post an address', async () => {
    await signUpWith(world, { email: 'subscriber@example.com', timezone: 'Europe/Berlin' });
    const pending = await contactOf(world, 'subscriber@example.com');
    const at = new Date().toISOString();
    await world.contacts.update({
      contact: {
        ...pending,
        consent: { ...pending.consent, email: { status: 'subscribed', changedAt: at } },
        version: pending.version + 1,
      },
      expectedVersion: pending.version,
      consent: [],
      events: [],
      messages: [],
    });

    await signUpWith(world, { email: 'subscriber@example.com', timezone: 'Asia/Tokyo' });

    const contact = await contactOf(world, 'subscriber@example.com');
    expect(contact.timeZone).toBe('Europe/Berlin');
    expect(contact.version).toBe(pending.version + 1);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { allowConfirmations } from '../../../lib/app/allow-confirmations.js';
import { confirmSubscription } from '../../../lib/app/confirm-subscription.js';
import { signUp } from '../../../lib/app/sign-up.js';
import { unsubscribe } from '../../../lib/app/unsubscribe.js';
import { signupConfirmationLimits } from '../../../lib/domain/confirmation-limits.js';
import { TooManyRequestsError } from '../../../lib/domain/errors.js';
import { issueToken, type TokenPurpose } from '../../../lib/domain/tokens.js';
import { aWorld, deploymentFor, signUpDepsFor } from './support/worlds.js';

let world: MemoryWorld;
const victim = 'victim@example.com';
const hour = 3_600_000;
const day = 24 * hour;

/** The form as the deployment runs it: one confirmation a day, three unanswered in all. */
const postForm = (email = victim, ip = '192.0.2.1', form?: string) =>
  signUp(signUpDepsFor(world, signupConfirmationLimits.resendAfterMs), {
    body: { email, consent: 'on', topics: 'newsletter', ...(form === undefined ? {} : { form }) },
    source: { ip },
  });

const contactIdOf = async (email = victim): Promise<string> => {
  const id = await world.contacts.findIdByEmail(email);
  if (id === undefined) throw new Error(`${email} has not signed up`);
  return id;
};

/** The confirmation emails queued for the address, whatever became of them. */
const confirmationsTo = async (email = victim): Promise<number> =>
  world.table.queryAll(`C#${await contactIdOf(email)}`, { prefix: 'MSG#confirm#' }).length;

const linkFor = async (purpose: TokenPurpose) =>
  issueToken(deploymentFor(world).links.tokenKeys, {
    purpose,
    contactId: await contactIdOf(),
    expiresAt: new Date(world.clock.now().getTime() + 30 * day),
  });

beforeEach(() => {
  world = aWorld('2026-11-23T12:00:00.000Z');
});

describe('when someone posts a stranger’s address to the form again and again', () => {
  it('mails the address at most once a day', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await postForm(victim, `198.51.100.${attempt}`);
      world.clock.advance(hour);
    }
    expect(await confirmationsTo()).toBe(1);

    world.clock.advance(day);
    await postForm();

    expect(await confirmationsTo()).toBe(2);
  });

  it('stops after three unanswered confirmations, days apart, with the same answer every time', async () => {
    const answers = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      answers.push(await postForm(victim, `198.51.100.${attempt}`));
      world.clock.advance(2 * day);
    }

    expect(await confirmationsTo()).toBe(signupConfirmationLimits.maxUnanswered);
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(await world.contacts.get(await contactIdOf())).toMatchObject({ unansweredConfirmations: 3 });
  });

  it('mails again once an admin allows it, and counts from there', async () => {
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await postForm();
      world.clock.advance(2 * day);
    }
    expect(await confirmationsTo()).toBe(3);

    const allowed = await allowConfirmations(
      { contacts: world.contacts, clock: world.clock },
      await contactIdOf(),
    );
    await postForm();

    expect(allowed).toMatchObject({ unansweredBefore: 3 });
    expect(await confirmationsTo()).toBe(4);
    expect(await world.contacts.get(await contactIdOf())).toMatchObject({ unansweredConfirmations: 1 });
  });
});

describe('when the person confirms, leaves, and signs up again', () => {
  it('asks them again: a confirmed address has answered', async () => {
    await postForm();
    world.clock.advance(2 * day);
    await postForm();
    world.clock.advance(2 * day);
    await postForm();
    const links = deploymentFor(world).links;
    await confirmSubscription(
      { ...links, ids: world.ids, stats: world.stats },
      { token: await linkFor('confirm'), source: { ip: '192.0.2.1' } },
    );
    expect(await world.contacts.get(await contactIdOf())).not.toHaveProperty('unansweredConfirmations');
    await unsubscribe(links, { token: await linkFor('unsubscribe'), source: { ip: '192.0.2.1' } });

    world.clock.advance(2 * day);
    await postForm();

    expect(await confirmationsTo()).toBe(4);
    expect(await world.contacts.get(await contactIdOf())).toMatchObject({
      consent: { email: { status: 'pending' } },
      unansweredConfirmations: 1,
    });
  });

  it('waits out the day since the last confirmation before asking again', async () => {
    await postForm();
    const links = deploymentFor(world).links;
    await confirmSubscription(
      { ...links, ids: world.ids, stats: world.stats },
      { token: await linkFor('confirm'), source: { ip: '192.0.2.1' } },
    );
    await unsubscribe(links, { token: await linkFor('unsubscribe'), source: { ip: '192.0.2.1' } });

    world.clock.advance(hour);
    await postForm();

    expect(await confirmationsTo()).toBe(1);
    expect(await world.contacts.get(await contactIdOf())).toMatchObject({
      consent: { email: { status: 'unsubscribed' } },
    });
  });
});

describe('when one caller posts the form too often', () => {
  it('refuses the eleventh signup from one IP address in ten minutes, saying when to come back', async () => {
    for (let n = 0; n < 10; n += 1) await postForm(`person${n}@example.com`, '203.0.113.7');

    const refused = postForm('person10@example.com', '203.0.113.7');

    await expect(refused).rejects.toBeInstanceOf(TooManyRequestsError);
    await expect(refused).rejects.toMatchObject({
      message: 'too many signups from this network; please try again in 10 minutes',
      retryAfterSeconds: 600,
    });
    expect(await world.contacts.findIdByEmail('person10@example.com')).toBeUndefined();
    await expect(postForm('person10@example.com', '203.0.113.8')).resolves.toBeDefined();
  });

  it('stores no IP address in the clear in its counters', async () => {
    await postForm(victim, '203.0.113.7');

    const counters = world.table.scan().filter((item) => String(item.PK).startsWith('RATE#'));
    expect(counters).toHaveLength(2);
    expect(JSON.stringify(counters)).not.toContain('203.0.113.7');
  });

  it('refuses a form flooded from many addresses once it passes its own limit', async () => {
    const deps = signUpDepsFor(world, signupConfirmationLimits.resendAfterMs);
    const flood = {
      ...deps,
      settings: {
        ...deps.settings,
        rateLimits: { ...deps.settings.rateLimits, perForm: { limit: 3, windowMs: 60_000 } },
      },
    };
    const post = (n: number) =>
      signUp(flood, {
        body: { email: `bot${n}@example.com`, consent: 'on', form: 'footer' },
        source: { ip: `198.51.100.${n}` },
      });
    for (let n = 0; n < 3; n += 1) await post(n);

    await expect(post(3)).rejects.toMatchObject({ name: 'TooManyRequestsError', retryAfterSeconds: 60 });
  });
});

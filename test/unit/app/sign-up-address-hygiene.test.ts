import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type SignUpDeps, signUp } from '../../../lib/app/sign-up.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { statsScope } from '../../../lib/domain/stats-keys.js';
import { aSignup, aSubscribedContact } from '../../support/builders.js';
import { aWorld, signUpDepsFor } from './support/worlds.js';

const today = '2026-11-23';
let world: MemoryWorld;

beforeEach(() => {
  world = aWorld(`${today}T12:00:00.000Z`);
});

/** The form as a deployment that refuses `mailinator.com` runs it, or as the default one. */
const depsFor = (refusesDisposable: boolean): SignUpDeps => {
  const deps = signUpDepsFor(world);
  return refusesDisposable
    ? { ...deps, settings: { ...deps.settings, disposableDomains: new Set(['mailinator.com']) } }
    : deps;
};

const post = (email: string, refusesDisposable = false) =>
  signUp(depsFor(refusesDisposable), {
    body: { email, consent: 'on', topics: 'newsletter', phone: '+14155550123', sms_consent: 'yes' },
    source: { ip: '192.0.2.1' },
  });

/** The fields of the refusal, or undefined when the signup was taken. */
const refusalOf = async (email: string, refusesDisposable = false) => {
  try {
    await post(email, refusesDisposable);
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error.fields;
    throw error;
  }
};

/** What a refused signup may leave behind: its caller's count against the per-IP limit, and nothing else. */
const writtenBesidesTheCallerCount = () =>
  world.table
    .scan()
    .filter((item) => !(item.type === 'rate-window' && String(item.PK).startsWith('RATE#signup-ip:')));

const addKnown = async (email: string) => {
  await world.contacts.create(aSignup(aSubscribedContact({ email })));
};

describe('when someone signs up with a role address', () => {
  it.each(['postmaster@shop.example', 'NoReply+x@shop.example', 'abuse@shop.example'])(
    'refuses %s and writes nothing: no contact, consent, message, phone or counter',
    async (email) => {
      expect(await refusalOf(email)).toEqual({ email: expect.stringMatching(/^is a role address \(/) });

      expect(await world.contacts.findIdByEmail(email.toLowerCase())).toBeUndefined();
      expect(writtenBesidesTheCallerCount()).toEqual([]);
      expect(await world.stats.read(statsScope.audience, today)).toEqual({});
    },
  );

  it('answers a known role address exactly as an unknown one', async () => {
    await addKnown('postmaster@known.example');

    expect(await refusalOf('postmaster@known.example')).toEqual(
      await refusalOf('postmaster@unknown.example'),
    );
  });

  it('takes info@, a mailbox a person may read', async () => {
    await post('info@shop.example');

    expect(await world.contacts.findIdByEmail('info@shop.example')).toBeDefined();
  });
});

describe('when someone signs up from a disposable-mail domain', () => {
  it('takes the address while the deployment refuses none, the default', async () => {
    await post('ann@mailinator.com');

    expect(await world.contacts.findIdByEmail('ann@mailinator.com')).toBeDefined();
  });

  it('refuses it, and a subdomain of it, once the deployment does, and writes nothing', async () => {
    expect(await refusalOf('ann@mailinator.com', true)).toEqual({
      email: 'uses a disposable-mail domain (mailinator.com); sign up with an address you keep',
    });
    expect(await refusalOf('ann@eu.mailinator.com', true)).toHaveProperty('email');

    expect(writtenBesidesTheCallerCount()).toEqual([]);
    expect(await world.stats.read(statsScope.audience, today)).toEqual({});
  });

  it('answers an address known from before the refusal exactly as an unknown one', async () => {
    await addKnown('ann@mailinator.com');

    expect(await refusalOf('ann@mailinator.com', true)).toEqual(await refusalOf('bob@mailinator.com', true));
  });
});

describe('when the address passes both rules', () => {
  it('answers a known address exactly as an unknown one', async () => {
    await addKnown('known@example.com');

    const answers = [await post('known@example.com', true), await post('new@example.com', true)];

    expect(JSON.stringify(answers[0])).toBe(JSON.stringify(answers[1]));
  });
});

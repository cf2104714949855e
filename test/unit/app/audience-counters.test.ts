import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { confirmSubscription } from '../../../lib/app/confirm-subscription.js';
import { signUp } from '../../../lib/app/sign-up.js';
import { unsubscribe } from '../../../lib/app/unsubscribe.js';
import { metricKey, statsScope } from '../../../lib/domain/stats-keys.js';
import { issueToken, type TokenPurpose } from '../../../lib/domain/tokens.js';
import { aWorld, deploymentFor, signUpDepsFor } from './support/worlds.js';

let world: MemoryWorld;
const email = 'ann@example.com';
const source = { ip: '192.0.2.1' };
const today = '2026-11-23';

const audience = () => world.stats.read(statsScope.audience, today);
const signup = metricKey({ kind: 'audience', event: 'signup' });
const confirmation = metricKey({ kind: 'audience', event: 'confirmation' });
const unsubscribes = metricKey({ kind: 'audience', event: 'unsubscribe' });

const signUpAnn = (resendAfterMs = 0) =>
  signUp(signUpDepsFor(world, resendAfterMs), {
    body: { email, consent: 'on', topics: 'newsletter' },
    source,
  });

const annId = async (): Promise<string> => {
  const id = await world.contacts.findIdByEmail(email);
  if (id === undefined) throw new Error('Ann has not signed up');
  return id;
};

const linkFor = async (purpose: TokenPurpose) =>
  issueToken(deploymentFor(world).links.tokenKeys, {
    purpose,
    contactId: await annId(),
    expiresAt: new Date(world.clock.now().getTime() + 86_400_000),
  });

beforeEach(() => {
  world = aWorld(`${today}T12:00:00.000Z`);
});

describe('the audience counters', () => {
  it('count a new signup once, however often the form is posted while it waits', async () => {
    await signUpAnn();
    await signUpAnn();
    await signUpAnn(600_000);

    expect(await audience()).toEqual({ [signup]: 1 });
  });

  it('count nothing for a form the honeypot caught', async () => {
    await signUp(signUpDepsFor(world), {
      body: { email, consent: 'on', topics: 'newsletter', website: 'spam' },
      source,
    });

    expect(await audience()).toEqual({});
  });

  it('count a confirmation once when the link is posted twice', async () => {
    await signUpAnn();
    const token = await linkFor('confirm');
    const { links } = deploymentFor(world);

    expect((await confirmSubscription(links, { token, source })).outcome).toBe('confirmed');
    expect((await confirmSubscription(links, { token, source })).outcome).toBe('already-confirmed');

    expect(await audience()).toEqual({ [signup]: 1, [confirmation]: 1 });
  });

  it('count an unsubscribe once when the link is posted twice, and a return as a new signup', async () => {
    await signUpAnn();
    const { links } = deploymentFor(world);
    await confirmSubscription(links, { token: await linkFor('confirm'), source });
    const token = await linkFor('unsubscribe');

    await unsubscribe(links, { token, source });
    await unsubscribe(links, { token, source });
    expect(await audience()).toEqual({ [signup]: 1, [confirmation]: 1, [unsubscribes]: 1 });

    await signUpAnn();
    expect(await audience()).toEqual({ [signup]: 2, [confirmation]: 1, [unsubscribes]: 1 });
  });
});

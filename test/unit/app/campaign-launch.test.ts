import { beforeEach, describe, expect, it } from 'vitest';
import { deferredCopyKey } from '../../../lib/app/deliver-message.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import { launchCampaign } from '../../../lib/app/manage-campaigns.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import { campaignMessageKey } from '../../../lib/domain/campaign.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { loadDeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import type { MessageTimer } from '../../../lib/domain/timer.js';
import { pageBudget } from '../../support/page-budget.js';
import { aCampaign, aCampaignWorld, type CampaignWorld, timerShards } from './support/campaigns.js';
import { jobDepsFor } from './support/worlds.js';

let w: CampaignWorld;

beforeEach(async () => {
  w = await aCampaignWorld();
});

const key = campaignMessageKey('winter-sale');

const launch = async (overrides: Parameters<typeof aCampaign>[0] = {}) => {
  await w.world.campaigns.put(aCampaign(overrides), w.world.clock.now());
  return launchCampaign(w.manage, 'winter-sale', undefined);
};

const addMany = async (count: number, overrides: Partial<Contact> = {}): Promise<Contact[]> => {
  const added: Contact[] = [];
  for (let index = 0; index < count; index += 1) added.push(await w.addContact(overrides));
  return added;
};

/** The message timers the launch filed, by contact. */
const campaignTimers = (): MessageTimer[] =>
  w.world
    .wheel()
    .map((entry) => entry.timer)
    .filter(
      (timer): timer is MessageTimer => 'message' in timer && timer.message.campaignId === 'winter-sale',
    );

const emailsTo = (contact: Contact) => w.world.mailer.sentTo(contact.email);

describe('when a campaign is launched', () => {
  it('freezes the audience: members at launch are sent once, later joiners never, leavers still', async () => {
    const [stays, leaves] = await addMany(2);
    const outsider = await w.addContact({}, 'silver');
    await launch();
    await w.runJobs();
    // After the walk: one leaves the segment, one joins it.
    if (leaves === undefined || stays === undefined) throw new Error('two contacts');
    await w.world.contacts.update({
      contact: { ...leaves, attributes: { tier: 'silver' }, version: leaves.version + 1 },
      expectedVersion: leaves.version,
      consent: [],
      events: [],
      messages: [],
    });
    await w.world.contacts.update({
      contact: { ...outsider, attributes: { tier: 'gold' }, version: outsider.version + 1 },
      expectedVersion: outsider.version,
      consent: [],
      events: [],
      messages: [],
    });
    await w.runJobs();
    await w.settle();

    expect(emailsTo(stays)).toHaveLength(1);
    expect(emailsTo(leaves)).toHaveLength(1);
    expect(emailsTo(outsider)).toHaveLength(0);
    expect(await w.world.campaignRecipients.get('winter-sale', outsider.id)).toBeUndefined();
    expect((await w.world.campaigns.get('winter-sale'))?.status).toBe('sent');
  });

  it('keeps the holdout share as control: recorded, never sent', async () => {
    const people = await addMany(200);
    await launch({ holdout: 10 });
    await w.runJobs();
    await w.settle();

    const recipients = await Promise.all(
      people.map((person) => w.world.campaignRecipients.get('winter-sale', person.id)),
    );
    const control = recipients.filter((recipient) => recipient?.group === 'control');
    expect(recipients.every((recipient) => recipient !== undefined)).toBe(true);
    expect(control.length).toBeGreaterThanOrEqual(8);
    expect(control.length).toBeLessThanOrEqual(35);
    for (const recipient of control) {
      const person = people.find((candidate) => candidate.id === recipient?.contactId);
      if (person !== undefined) expect(emailsTo(person)).toHaveLength(0);
    }
    expect(w.world.mailer.sent()).toHaveLength(200 - control.length);
  });

  it('assigns variants by weight, and each variant’s subject replaces the template’s', async () => {
    await addMany(200);
    await launch({
      variants: [
        { id: 'a', weight: 3, subject: 'Subject A for {{ contact.email }}' },
        { id: 'b', weight: 1, subject: 'Subject B' },
      ],
    });
    await w.runJobs();
    await w.settle();

    const subjects = w.world.mailer.sent().map((sent) => sent.email.subject);
    const b = subjects.filter((subject) => subject === 'Subject B').length;
    const a = subjects.filter((subject) => subject.startsWith('Subject A for ')).length;
    expect(a + b).toBe(200);
    expect(b).toBeGreaterThanOrEqual(30);
    expect(b).toBeLessThanOrEqual(75);
    // Counted in total and per variant.
    const day = '2026-12-01';
    expect((await w.world.stats.read('campaign:winter-sale', day)).sent).toBe(200);
    expect((await w.world.stats.read('campaign:winter-sale/b', day)).sent).toBe(b);
    expect((await w.world.stats.read('campaign:winter-sale/a', day)).sent).toBe(a);
  });

  it('paces the slots: slot i at launch + floor(i / rate) seconds', async () => {
    await addMany(60);
    const launched = await launch({ sendRate: 5 });
    await w.runJobs();

    const due = campaignTimers()
      .map((timer) => Date.parse(timer.dueAt) - Date.parse(launched.launchedAt ?? ''))
      .sort((x, y) => x - y);
    expect(due).toHaveLength(60);
    expect(due).toEqual(Array.from({ length: 60 }, (_, index) => Math.floor(index / 5) * 1000));
  });

  it('takes the deployment’s rate when the campaign names none', async () => {
    await addMany(30);
    const launched = await launch();
    await w.runJobs({ campaignSendRate: 10 });

    const last = Math.max(...campaignTimers().map((timer) => Date.parse(timer.dueAt)));
    expect(last - Date.parse(launched.launchedAt ?? '')).toBe(2000);
  });

  it('sends a local-time campaign at 10:00 in each contact’s own zone', async () => {
    const tokyo = await w.addContact({ timeZone: 'Asia/Tokyo' });
    const berlin = await w.addContact({ timeZone: 'Europe/Berlin' });
    const launched = await launch({
      schedule: { kind: 'local', date: '2026-12-05', time: '10:00' },
      sendRate: 1,
    });
    expect(launched.status).toBe('scheduled');
    await w.runJobs();

    const dueOf = async (contact: Contact) =>
      (await w.world.campaignRecipients.get('winter-sale', contact.id))?.sendAt;
    const slots = [await dueOf(tokyo), await dueOf(berlin)];
    // 10:00 JST is 01:00Z, 10:00 CET is 09:00Z; each plus its pacing offset (0 or 1 s at one a second).
    expect(slots.map((slot) => slot?.slice(0, 16)).sort()).toEqual(['2026-12-05T01:00', '2026-12-05T09:00']);
    await w.settle();
    expect(emailsTo(tokyo)[0]?.at.slice(0, 16)).toBe('2026-12-05T01:00');
    expect(emailsTo(berlin)[0]?.at.slice(0, 16)).toBe('2026-12-05T09:00');
    expect((await w.world.campaigns.get('winter-sale'))?.status).toBe('sent');
  });

  it('starts an `at` campaign at its instant', async () => {
    const person = await w.addContact();
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' } });
    await w.runJobs();
    await w.settle();
    expect(emailsTo(person)[0]?.at).toBe('2026-12-03T15:30:00.000Z');
  });

  it('reaches only contacts subscribed to the audience’s topic', async () => {
    const offers = await w.addContact({ topics: ['newsletter', 'offers'] });
    const newsletterOnly = await w.addContact({ topics: ['newsletter'] });
    await launch({ audience: { segmentId: 'gold', topic: 'offers' } });
    await w.runJobs();
    await w.settle();
    expect(emailsTo(offers)).toHaveLength(1);
    expect(emailsTo(newsletterOnly)).toHaveLength(0);
  });

  it('checks consent at send time: a contact who unsubscribed after the launch is skipped', async () => {
    const person = await w.addContact();
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' } });
    await w.runJobs();
    await w.world.contacts.update({
      contact: {
        ...person,
        consent: {
          ...person.consent,
          email: { status: 'unsubscribed', changedAt: '2026-12-02T00:00:00.000Z' },
        },
        version: person.version + 1,
      },
      expectedVersion: person.version,
      consent: [],
      events: [],
      messages: [],
    });
    await w.settle();
    expect(emailsTo(person)).toHaveLength(0);
    expect(await w.world.outbox.get(person.id, key)).toMatchObject({
      status: 'skipped',
      skipReason: 'not-subscribed',
    });
  });

  it('holds campaign messages to the delivery policy: quiet hours defer them', async () => {
    w.usePolicy(loadDeliveryPolicy('email:\n  quiet_hours: { start: "21:00", end: "08:00" }\n'));
    const person = await w.addContact();
    await launch({ schedule: { kind: 'at', at: '2026-12-03T22:00:00Z' } });
    await w.runJobs();
    await w.settle();
    expect(await w.world.outbox.get(person.id, key)).toMatchObject({
      status: 'deferred',
      deferReason: 'quiet-hours',
    });
    expect(emailsTo(person)[0]?.at).toBe('2026-12-04T08:00:00.000Z');
  });
});

describe('when a launch is redone', () => {
  it('sends one message per contact after a page is done twice from an old cursor', async () => {
    const people = await addMany(30);
    await launch({ sendRate: 2 });
    // A run whose time ran out after the launch's first page.
    const onePage = pageBudget(w.world.jobs, 1, (job) => job.work.kind === 'campaign-launch');
    await runJourneyJobs(jobDepsFor(w.world, { jobs: onePage.jobs }), {
      outOfTime: onePage.outOfTime,
      pageSize: 7,
    });
    const [early] = (await w.world.jobs.pending()).filter((job) => job.work.kind === 'campaign-launch');
    if (early === undefined) throw new Error('the launch is still pending after one page');
    await w.runJobs();
    const [done] = (await w.world.jobs.listForSubject('campaign:winter-sale')).filter(
      (job) => job.work.kind === 'campaign-launch',
    );
    const slotsBefore = campaignTimers()
      .map((timer) => `${timer.contactId} ${timer.dueAt}`)
      .sort();
    // A crashed run's progress is lost: the job goes back to its old cursor and does those pages again.
    if (done === undefined) throw new Error('no launch job');
    await w.world.jobs.save({ ...early, revision: done.revision + 1 }, done.revision);
    await w.runJobs();

    expect(
      campaignTimers()
        .map((timer) => `${timer.contactId} ${timer.dueAt}`)
        .sort(),
    ).toEqual(slotsBefore);
    await w.settle();
    for (const person of people) expect(emailsTo(person)).toHaveLength(1);
  });

  it('writes the outbox message once when a fired timer is filed and fired again', async () => {
    const person = await w.addContact();
    await launch();
    await w.runJobs();
    const [timer] = campaignTimers();
    if (timer === undefined) throw new Error('no timer');
    await w.settle();
    await w.world.timers.deferMessage(timer, w.world.clock.now());
    const fired = await fireDueTimers({ timers: w.world.timers }, w.world.clock.now(), {
      shards: timerShards,
      settleSeconds: 0,
    });
    expect(fired).toMatchObject({ fired: 0, alreadyFired: 1 });
    expect(w.world.drainInserts()).toEqual([]);
    expect(emailsTo(person)).toHaveLength(1);
  });
});

describe('when a launched campaign is paused, resumed or cancelled', () => {
  it('skips its messages once cancelled', async () => {
    const person = await w.addContact();
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' } });
    await w.runJobs();
    const { changeCampaignStatus } = await import('../../../lib/app/manage-campaigns.js');
    await changeCampaignStatus(w.manage, 'winter-sale', 'cancel', undefined);
    await w.settle();
    expect(emailsTo(person)).toHaveLength(0);
    expect(await w.world.outbox.get(person.id, key)).toMatchObject({
      status: 'skipped',
      skipReason: 'campaign-cancelled',
    });
    expect(
      (await w.world.stats.read('campaign:winter-sale', '2026-12-03'))['skipped:campaign-cancelled'],
    ).toBe(1);
  });

  it('holds its messages while paused and sends them, at their pace, after the resume', async () => {
    const person = await w.addContact();
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' } });
    await w.runJobs();
    const { changeCampaignStatus } = await import('../../../lib/app/manage-campaigns.js');
    await changeCampaignStatus(w.manage, 'winter-sale', 'pause', undefined);
    w.world.clock.set('2026-12-03T15:30:00.000Z');
    expect(await w.tickAndDeliver()).toEqual([
      { outcome: 'deferred', until: '2026-12-03T15:40:00.000Z', reason: 'campaign-paused' },
    ]);
    w.world.clock.set('2026-12-03T15:40:00.000Z');
    expect(await w.tickAndDeliver()).toMatchObject([{ outcome: 'deferred', reason: 'campaign-paused' }]);
    await changeCampaignStatus(w.manage, 'winter-sale', 'resume', undefined);
    await w.settle();
    expect(emailsTo(person)).toHaveLength(1);
    expect(emailsTo(person)[0]?.at).toBe('2026-12-03T15:50:00.000Z');
    expect(await w.world.outbox.get(person.id, deferredCopyKey(deferredCopyKey(key)))).toMatchObject({
      status: 'sent',
    });
  });

  it('moves from scheduled to sending with its first message', async () => {
    await w.addContact();
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' } });
    await w.runJobs();
    expect((await w.world.campaigns.get('winter-sale'))?.status).toBe('scheduled');
    w.world.clock.set('2026-12-03T15:30:00.000Z');
    await w.tickAndDeliver();
    expect((await w.world.campaigns.get('winter-sale'))?.status).toBe('sending');
  });
});

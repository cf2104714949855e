import { beforeEach, describe, expect, it } from 'vitest';
import { launchCampaign } from '../../../lib/app/manage-campaigns.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import { campaignMessageKey } from '../../../lib/domain/campaign.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { loadDeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import type { Message } from '../../../lib/domain/message.js';
import { pageBudget } from '../../support/page-budget.js';
import { aCampaign, aCampaignWorld, type CampaignWorld } from './support/campaigns.js';
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

/** The campaign's messages in the outbox (their `createdAt` is their slot), by slot. */
const campaignMessages = async (people: readonly Contact[]): Promise<Message[]> =>
  (await Promise.all(people.map((person) => w.world.outbox.get(person.id, key))))
    .filter((message) => message !== undefined)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));

/** Seconds from the launch to each message's slot. */
const offsets = (messages: readonly Message[], launchedAt: string | undefined): number[] =>
  messages.map((message) => (Date.parse(message.createdAt) - Date.parse(launchedAt ?? '')) / 1000);

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
    expect(await w.world.outbox.get(outsider.id, key)).toBeUndefined();
    expect((await w.world.campaigns.get('winter-sale'))?.status).toBe('sent');
  });

  it('keeps the holdout share as control: recorded, never sent', async () => {
    const people = await addMany(200);
    await launch({ holdout: 10 });
    await w.runJobs();
    await w.settle();

    // Control members have a record under their contact; treatment members their message.
    const records = await Promise.all(
      people.map((person) => w.world.campaignAudience.get('winter-sale', person.id)),
    );
    const control = records.filter((record) => record?.group === 'control');
    expect(control.length + (await campaignMessages(people)).length).toBe(200);
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

  it('paces the sends: slot i at launch + floor(i / rate) seconds, each message written at its slot', async () => {
    const people = await addMany(60);
    const launched = await launch({ sendRate: 5 });
    await w.settle();

    const messages = await campaignMessages(people);
    expect(offsets(messages, launched.launchedAt)).toEqual(
      Array.from({ length: 60 }, (_, index) => Math.floor(index / 5)),
    );
    // Each went out when its slot came, not before: the stream hands deliver what is written.
    for (const person of people)
      expect(emailsTo(person)[0]?.at).toBe(
        messages.find((message) => message.contactId === person.id)?.createdAt,
      );
  });

  it('takes the deployment’s rate when the campaign names none', async () => {
    const people = await addMany(30);
    w.useJobSettings({ campaignSendRate: 10 });
    const launched = await launch();
    await w.settle();

    expect(offsets(await campaignMessages(people), launched.launchedAt).at(-1)).toBe(2);
  });

  it('sends a local-time campaign at 10:00 in each contact’s own zone', async () => {
    const tokyo = await w.addContact({ timeZone: 'Asia/Tokyo' });
    const berlin = await w.addContact({ timeZone: 'Europe/Berlin' });
    const launched = await launch({
      schedule: { kind: 'local', date: '2026-12-05', time: '10:00' },
      sendRate: 1,
    });
    expect(launched.status).toBe('scheduled');
    await w.settle();
    // 10:00 JST is 01:00Z, 10:00 CET is 09:00Z: each zone's send starts at its own 10:00.
    expect(emailsTo(tokyo)[0]?.at).toBe('2026-12-05T01:00:00.000Z');
    expect(emailsTo(berlin)[0]?.at).toBe('2026-12-05T09:00:00.000Z');
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

describe('when a launch or a send is redone', () => {
  it('sends one message per contact after each is done again from an old cursor', async () => {
    const people = await addMany(30);
    await launch({ sendRate: 2 });
    const jobOf = async (kind: string) =>
      (await w.world.jobs.listForSubject('campaign:winter-sale')).find((job) => job.work.kind === kind);
    // A run whose time ran out after the launch's first page.
    const onePage = pageBudget(w.world.jobs, 1, (job) => job.work.kind === 'campaign-launch');
    await runJourneyJobs(jobDepsFor(w.world, { jobs: onePage.jobs }), {
      outOfTime: onePage.outOfTime,
      pageSize: 7,
    });
    const early = await jobOf('campaign-launch');
    if (early?.status !== 'pending') throw new Error('the launch is still pending after one page');
    await w.runJobs();
    // A crashed run's progress is lost: the launch goes back to its old cursor and does those pages again.
    const done = await jobOf('campaign-launch');
    if (done === undefined) throw new Error('no launch job');
    await w.world.jobs.save({ ...early, revision: done.revision + 1 }, done.revision);
    // The send gets some way, then loses its progress too.
    w.world.clock.advance(3_000);
    await w.runJobs();
    const sendEarly = await jobOf('campaign-send');
    w.world.clock.advance(5_000);
    await w.runJobs();
    const sendLater = await jobOf('campaign-send');
    if (sendEarly === undefined || sendLater === undefined) throw new Error('no send job');
    expect(sendLater.pacing?.queued).toBeGreaterThan(sendEarly.pacing?.queued ?? 0);
    await w.world.jobs.save({ ...sendEarly, revision: sendLater.revision + 1 }, sendLater.revision);
    await w.settle();

    for (const person of people) expect(emailsTo(person)).toHaveLength(1);
    expect((await jobOf('campaign-send'))?.status).toBe('done');
  });
});

describe('when a launched campaign is paused, resumed or cancelled', () => {
  it('writes no more once cancelled, and skips what was written but not yet sent', async () => {
    const [first, second] = await addMany(2);
    if (first === undefined || second === undefined) throw new Error('two contacts');
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' }, sendRate: 1 });
    w.world.clock.set('2026-12-03T15:30:00.000Z');
    await w.runJobs();
    const { changeCampaignStatus } = await import('../../../lib/app/manage-campaigns.js');
    await changeCampaignStatus(w.manage, 'winter-sale', 'cancel', undefined);
    await w.settle();

    const [written, never] = [
      await w.world.outbox.get(first.id, key),
      await w.world.outbox.get(second.id, key),
    ].sort((a, b) => (a === undefined ? 1 : b === undefined ? -1 : 0));
    expect(written).toMatchObject({ status: 'skipped', skipReason: 'campaign-cancelled' });
    expect(never).toBeUndefined();
    expect(w.world.mailer.sent()).toHaveLength(0);
    expect(
      (await w.world.stats.read('campaign:winter-sale', '2026-12-03'))['skipped:campaign-cancelled'],
    ).toBe(1);
  });

  it('writes nothing while paused and sends, at its pace, after the resume', async () => {
    const person = await w.addContact();
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' } });
    await w.runJobs();
    const { changeCampaignStatus } = await import('../../../lib/app/manage-campaigns.js');
    await changeCampaignStatus(w.manage, 'winter-sale', 'pause', undefined);
    w.world.clock.set('2026-12-03T15:30:00.000Z');
    await w.runJobs();
    expect(await w.tickAndDeliver()).toEqual([]);
    expect(await w.world.outbox.get(person.id, key)).toBeUndefined();
    w.world.clock.set('2026-12-03T15:40:00.000Z');
    await changeCampaignStatus(w.manage, 'winter-sale', 'resume', undefined);
    await w.settle();
    expect(emailsTo(person)).toHaveLength(1);
    expect(emailsTo(person)[0]?.at).toBe('2026-12-03T15:40:00.000Z');
  });

  it('holds a message written just before the pause, and sends it after the resume', async () => {
    const people = await addMany(2);
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' }, sendRate: 1 });
    w.world.clock.set('2026-12-03T15:30:00.000Z');
    await w.runJobs();
    const { changeCampaignStatus } = await import('../../../lib/app/manage-campaigns.js');
    await changeCampaignStatus(w.manage, 'winter-sale', 'pause', undefined);
    expect(await w.tickAndDeliver()).toEqual([
      { outcome: 'deferred', until: '2026-12-03T15:40:00.000Z', reason: 'campaign-paused' },
    ]);
    w.world.clock.set('2026-12-03T15:40:00.000Z');
    await changeCampaignStatus(w.manage, 'winter-sale', 'resume', undefined);
    await w.settle();
    for (const person of people) {
      expect(emailsTo(person)).toHaveLength(1);
      expect(emailsTo(person)[0]?.at).toBe('2026-12-03T15:40:00.000Z');
    }
  });

  it('moves from scheduled to sending when its first message is written', async () => {
    await w.addContact();
    await launch({ schedule: { kind: 'at', at: '2026-12-03T15:30:00Z' } });
    await w.runJobs();
    expect((await w.world.campaigns.get('winter-sale'))?.status).toBe('scheduled');
    w.world.clock.set('2026-12-03T15:30:00.000Z');
    const send = await w.world.jobs.listForSubject('campaign:winter-sale');
    // Only the send's step: the finish would mark it sent in the same run.
    await runJourneyJobs(
      jobDepsFor(w.world, {
        jobs: {
          pending: async () => send.filter((job) => job.work.kind === 'campaign-send'),
          listForSubject: (subject) => w.world.jobs.listForSubject(subject),
          save: (job, revision) => w.world.jobs.save(job, revision),
          create: (job) => w.world.jobs.create(job),
        },
      }),
      { outOfTime: () => false },
    );
    expect((await w.world.campaigns.get('winter-sale'))?.status).toBe('sending');
  });
});

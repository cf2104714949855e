import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { deferredCopyKey, deliverMessage, sendingPausedRecheckMs } from '../../../lib/app/deliver-message.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import { pauseMarketingEmail, resumeMarketingEmail } from '../../../lib/app/marketing-email-pause.js';
import { type RecordSesFeedbackDeps, recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import type { Contact } from '../../../lib/domain/contact.js';
import { defaultReputationThresholds, type ReputationThresholds } from '../../../lib/domain/reputation.js';
import { parseSesNotification, type SesNotification } from '../../../lib/domain/ses-notification.js';
import { aJourneyMessage, aMessage, aSubscribedContact } from '../../support/builders.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { aDeliveryWorld, type DeliveryWorld, timerShards } from './support/worlds.js';

const now = '2026-11-23T12:00:00.000Z';

/** Few sends, so a test can reach the minimum; the rates are the shipped ones. */
const thresholds: ReputationThresholds = { ...defaultReputationThresholds, minSends: 20 };

/** An SES event of the fixture's kind about an email the mailer took, with the tags it was sent with. */
const sesEvent = (fixture: string, tags: Record<string, string>, to: string): SesNotification => {
  const raw = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/ses', fixture), 'utf8'));
  raw.mail.tags = Object.fromEntries(Object.entries(tags).map(([name, value]) => [name, [value]]));
  raw.mail.destination = [to];
  if (raw.complaint !== undefined) raw.complaint.complainedRecipients = [{ emailAddress: to }];
  return parseSesNotification(JSON.stringify(raw));
};

let delivery: DeliveryWorld;
let notifications = 0;
const feedback = (): RecordSesFeedbackDeps => ({
  suppressions: delivery.world.suppressions,
  softBounces: delivery.world.softBounces,
  contacts: delivery.world.contacts,
  stats: delivery.world.stats,
  ids: delivery.world.ids,
  clicks: delivery.world.clicks,
  sendingState: delivery.world.sendingState,
  settings: { attributionWindowDays: 7, reputation: thresholds },
});
const report = (notification: SesNotification) => {
  notifications += 1;
  return recordSesFeedback(
    feedback(),
    notification,
    { notificationId: `sns-${notifications}` },
    delivery.clock.now(),
  );
};

/** A newsletter to `count` subscribers, each send reported by SES; answers who got it and their mail's tags. */
const sendNewsletter = async (count: number, list = 'reader') => {
  const recipients: Array<{ contact: Contact; tags: Record<string, string> }> = [];
  for (let index = 0; index < count; index += 1) {
    const contact = aSubscribedContact({ email: `${list}-${index}@example.com` });
    const message = aJourneyMessage(contact.id);
    await delivery.add(contact, [message]);
    expect(await deliverMessage(delivery.deps, { contactId: contact.id, key: message.key })).toMatchObject({
      outcome: 'sent',
    });
    const sent = delivery.world.mailer.sentTo(contact.email).at(-1);
    if (sent === undefined) throw new Error('nothing was sent');
    await report(sesEvent('send.json', sent.email.tags, contact.email));
    recipients.push({ contact, tags: sent.email.tags });
  }
  return recipients;
};

beforeEach(async () => {
  delivery = await aDeliveryWorld({ now });
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
});

describe('when complaints take the complaint rate past its critical threshold', () => {
  it('pauses marketing email on its own and writes the pause and its cause in the audit log', async () => {
    const readers = await sendNewsletter(20);
    const complainer = readers[0];
    if (complainer === undefined) throw new Error('no readers');

    const summary = await report(sesEvent('complaint.json', complainer.tags, complainer.contact.email));

    expect(summary.pausedMarketing).toBe(true);
    const state = await delivery.world.sendingState.get();
    expect(state).toMatchObject({
      status: 'paused',
      pause: { source: 'complaint-rate', at: delivery.clock.now().toISOString() },
    });
    expect(state.status === 'paused' && state.pause.cause).toBe(
      'complaint rate 5.0 % (1 of 20 sent) at or above the critical threshold 0.10 %, over the last 2 days (UTC, today included)',
    );
    const { entries } = await delivery.world.audit.list(10);
    expect(entries).toEqual([
      expect.objectContaining({
        actor: { id: 'rapport:complaint-rate', role: 'system' },
        route: '/admin/sending/pause',
        cause: state.status === 'paused' ? state.pause.cause : '',
      }),
    ]);
  });

  it('holds journeys’ marketing email as deferred and still sends the confirmation someone just asked for', async () => {
    const readers = await sendNewsletter(20);
    const complainer = readers[0];
    if (complainer === undefined) throw new Error('no readers');
    await report(sesEvent('complaint.json', complainer.tags, complainer.contact.email));

    const newcomer = aSubscribedContact({ email: 'newcomer@example.com' });
    const confirmation = aMessage(newcomer.id);
    const newsletter = aJourneyMessage(newcomer.id);
    await delivery.add(newcomer, [confirmation, newsletter]);

    expect(
      await deliverMessage(delivery.deps, { contactId: newcomer.id, key: newsletter.key }),
    ).toMatchObject({
      outcome: 'deferred',
      reason: 'marketing-paused',
    });
    expect(
      await deliverMessage(delivery.deps, { contactId: newcomer.id, key: confirmation.key }),
    ).toMatchObject({ outcome: 'sent' });
    expect(delivery.world.mailer.sentTo('newcomer@example.com').map((sent) => sent.email.subject)).toEqual([
      'Confirm',
    ]);
  });

  it('pauses once, however many complaints follow', async () => {
    const readers = await sendNewsletter(20);
    for (const reader of readers.slice(0, 3))
      await report(sesEvent('complaint.json', reader.tags, reader.contact.email));

    expect(await delivery.world.sendingState.get()).toMatchObject({ status: 'paused', version: 1 });
    expect((await delivery.world.audit.list(10)).entries).toHaveLength(1);
  });
});

describe('when too few emails were sent to judge by', () => {
  it('pauses nothing, whatever the rate', async () => {
    const readers = await sendNewsletter(5);
    const complainer = readers[0];
    if (complainer === undefined) throw new Error('no readers');

    const summary = await report(sesEvent('complaint.json', complainer.tags, complainer.contact.email));

    expect(summary.pausedMarketing).toBe(false);
    expect(await delivery.world.sendingState.get()).toEqual({ status: 'active', version: 0 });
  });
});

describe('when the rates stay under their thresholds', () => {
  it('sends marketing email as before', async () => {
    await sendNewsletter(20);

    expect(await delivery.world.sendingState.get()).toEqual({ status: 'active', version: 0 });
  });
});

describe('when an operator resumes marketing email', () => {
  it('lets the held email go out when its deferred copy looks again', async () => {
    await pauseMarketingEmail(
      { sending: delivery.world.sendingState, ids: delivery.world.ids },
      { source: 'admin', cause: 'checking a complaint', by: 'admin-1', at: delivery.clock.now() },
    );
    const reader = aSubscribedContact({ email: 'reader@example.com' });
    const newsletter = aJourneyMessage(reader.id);
    await delivery.add(reader, [newsletter]);
    const held = await deliverMessage(delivery.deps, { contactId: reader.id, key: newsletter.key });
    expect(held).toMatchObject({ outcome: 'deferred', reason: 'marketing-paused' });

    const state = await resumeMarketingEmail(
      { sending: delivery.world.sendingState, stats: delivery.world.stats, thresholds },
      { by: 'admin-1', at: delivery.clock.now() },
    );
    expect(state).toMatchObject({
      status: 'active',
      lastPause: { source: 'admin', cause: 'checking a complaint', resumedBy: 'admin-1' },
    });
    delivery.clock.advance(sendingPausedRecheckMs + 60_000);
    await fireDueTimers({ timers: delivery.timers }, delivery.clock.now(), {
      shards: timerShards,
      settleSeconds: 0,
    });
    const copy = { contactId: reader.id, key: deferredCopyKey(newsletter.key) };

    expect(await deliverMessage(delivery.deps, copy)).toMatchObject({ outcome: 'sent' });
    // An operator's pause is logged by the admin API, not here.
    expect((await delivery.world.audit.list(10)).entries).toEqual([]);
  });
});

describe('when the cause is dealt with and marketing email resumed', () => {
  it('judges only the mail sent after the resume: the mailing that paused it does not pause it again', async () => {
    const readers = await sendNewsletter(20);
    const [first, second] = readers;
    if (first === undefined || second === undefined) throw new Error('no readers');
    await report(sesEvent('complaint.json', first.tags, first.contact.email));
    await resumeMarketingEmail(
      { sending: delivery.world.sendingState, stats: delivery.world.stats, thresholds },
      { by: 'admin-1', at: delivery.clock.now() },
    );

    // A late complaint about the same mailing, with too few sends since the resume to judge.
    const late = await report(sesEvent('complaint.json', second.tags, second.contact.email));

    expect(late.pausedMarketing).toBe(false);
    expect(await delivery.world.sendingState.get()).toMatchObject({ status: 'active', version: 2 });
  });

  it('pauses again when the mail sent after the resume draws complaints of its own', async () => {
    const readers = await sendNewsletter(20);
    const first = readers[0];
    if (first === undefined) throw new Error('no readers');
    await report(sesEvent('complaint.json', first.tags, first.contact.email));
    await resumeMarketingEmail(
      { sending: delivery.world.sendingState, stats: delivery.world.stats, thresholds },
      { by: 'admin-1', at: delivery.clock.now() },
    );
    const later = await sendNewsletter(20, 'later');
    const complainer = later[0];
    if (complainer === undefined) throw new Error('no readers');

    const summary = await report(sesEvent('complaint.json', complainer.tags, complainer.contact.email));

    expect(summary.pausedMarketing).toBe(true);
    const state = await delivery.world.sendingState.get();
    expect(state.status === 'paused' && state.pause.cause).toContain('(1 of 20 sent)');
  });
});

import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { fireDueTimers } from '../../../lib/app/fire-due-timers.js';
import { handleContactEvent } from '../../../lib/app/handle-contact-event.js';
import { recordSesFeedback } from '../../../lib/app/record-ses-feedback.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import { startLiveSegmentPass } from '../../../lib/app/start-live-segment-pass.js';
import { TokenKeys } from '../../../lib/config/runtime-env.js';
import { loadContent } from '../../../lib/content/load-content.js';
import type { SegmentDefinition } from '../../../lib/domain/audience-segment.js';
import { newSesAccountSendRate } from '../../../lib/domain/campaign.js';
import type { Contact } from '../../../lib/domain/contact.js';
import type { EmailTemplate } from '../../../lib/domain/email-template.js';
import type { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { Message } from '../../../lib/domain/message.js';
import { defaultReputationThresholds } from '../../../lib/domain/reputation.js';
import { SesNotification } from '../../../lib/domain/ses-notification.js';
import { minuteBucket } from '../../../lib/ports/timer-store.js';
import { memoryDeployment } from '../../../lib/simulation/memory-deployment.js';
import { simulate } from '../../../lib/simulation/simulate.js';
import { compileEmail } from '../../../lib/templates/compile-email.js';
import { aSignup, aSubscribedContact } from '../../support/builders.js';
import { brief, shippedJourney, shippedTemplates } from './support/simulation.js';

/**
 * The shipped re-engagement journey, segment and template on the in-memory
 * deployment with the default sunset (P365D), over a year and more of virtual
 * time: the live segments' daily pass at 03:00, the tick for the journey's wait,
 * deliver for every message, and SES feedback for a click.
 */

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let journey: JourneyDefinition;
let segment: SegmentDefinition;
let template: EmailTemplate;

beforeAll(async () => {
  const content = await loadContent(repoRoot);
  const found = {
    journey: content.journeys.find((candidate) => candidate.id === 're-engagement'),
    segment: content.segments.find((candidate) => candidate.id === 're-engagement-due'),
    template: content.templates.find((candidate) => candidate.id === 're-engagement'),
  };
  if (found.journey === undefined || found.segment === undefined || found.template === undefined)
    throw new Error('the re-engagement journey, segment or template is not shipped');
  journey = found.journey;
  segment = found.segment;
  template = found.template;
});

const news: EmailTemplate = {
  id: 'news',
  kind: 'marketing',
  subject: 'News',
  text: 'News.',
  mjml: '<mj-text>News</mj-text>',
};

/** Engaged last on 5 January 2026: the question is due after 335 days, the sunset after 365. */
const engagedAt = '2026-01-05T10:00:00.000Z';

interface Delivery {
  at: string;
  template: string;
  outcome: string;
}

/** The walk starts late in the year: the months before hold nothing but the nightly passes. */
const walk = async (start = '2026-11-01T00:00:00.000Z') => {
  const world = new MemoryWorld({ start, timerShards: 2 });
  const deployment = memoryDeployment(world, {
    defaultTimeZone: 'UTC',
    publicBaseUrl: 'http://rapport.test',
    tokenKeys: TokenKeys.parse({ current: 'k1', k1: 'k'.repeat(40) }),
    tokenTtlDays: 90,
    sender: 'Rapport Books <hello@rapport.test>',
    postalAddress: '1 Test Street',
    sms: { marketingType: 'Promotional', transactionalType: 'Transactional' },
    policy: async () => undefined,
    ingestion: {
      messageDedupeDays: 30,
      orderDedupeDays: 400,
      attributionWindowDays: 7,
      defaultCurrency: 'EUR',
    },
    journeyJobs: { fanOutEventsPerRun: 600 },
    emailSendRate: newSesAccountSendRate,
    sunsetAfter: 'P365D',
  });
  const now = world.clock.now();
  await world.journeys.publish(journey, now);
  await world.segments.put(segment, now);
  for (const published of [template, news])
    await world.templates.publish(published, await compileEmail(published), now);
  const contact: Contact = aSubscribedContact({ email: 'quiet@example.com', lastEngagedAt: engagedAt });
  await world.contacts.create(aSignup(contact));
  world.drainInserts();

  const deliveries: Delivery[] = [];
  /** The keys of the messages sent, by template, for the clicks SES reports on them. */
  const sentKeys = new Map<string, string>();
  const settle = async () => {
    for (let inserts = world.drainInserts(); inserts.length > 0; inserts = world.drainInserts()) {
      for (const insert of inserts) {
        if (insert.kind === 'event') await handleContactEvent(deployment.advance, insert.event);
        if (insert.kind === 'message') {
          const message = await world.outbox.get(insert.message.contactId, insert.message.key);
          if (message === undefined) continue;
          const outcome = await deliverMessage(deployment.deliver, insert.message);
          if (outcome.outcome === 'sent') sentKeys.set(message.templateId, message.key);
          deliveries.push({
            at: world.clock.now().toISOString().slice(0, 10),
            template: message.templateId,
            outcome: outcome.outcome === 'skipped' ? `skipped: ${outcome.reason}` : outcome.outcome,
          });
        }
      }
    }
  };

  const nightlyPass = async () => {
    await startLiveSegmentPass({
      segments: world.segments,
      jobs: world.jobs,
      ids: world.ids,
      clock: world.clock,
    });
    await runJourneyJobs(deployment.jobs, { outOfTime: () => false });
  };

  /** The tick at the time of the next timer, as the simulation runs it. */
  const tick = async () => {
    const at = world.clock.now();
    const cursor = await world.timers.readCursor();
    const before = minuteBucket(new Date(at.getTime() - 120_000));
    if (cursor !== undefined && cursor.drainedThrough < before)
      await world.timers.advanceCursor(cursor, { ...cursor, drainedThrough: before });
    await fireDueTimers({ timers: world.timers }, at, {
      settleSeconds: 0,
      firstRunLookbackMinutes: 1,
      maxBuckets: 100_000,
      shards: world.timerShards,
    });
  };

  /** Runs the days until `until`: each night's pass, each timer when it falls due, and the given acts. */
  const runUntil = async (until: string, acts: Array<{ at: string; act: () => Promise<void> }> = []) => {
    const pending = [...acts].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const nextPassAfter = (instant: Date) => {
      const pass = new Date(instant);
      pass.setUTCHours(3, 0, 0, 0);
      if (pass <= instant) pass.setUTCDate(pass.getUTCDate() + 1);
      return pass.getTime();
    };
    let pass = nextPassAfter(world.clock.now());
    for (let steps = 0; steps < 5_000; steps += 1) {
      const act = pending[0];
      const actAt = act === undefined ? Number.POSITIVE_INFINITY : Date.parse(act.at);
      const timerAt = world.nextTimerAt()?.getTime() ?? Number.POSITIVE_INFINITY;
      const next = Math.min(actAt, timerAt, pass);
      if (next > Date.parse(until)) return;
      world.clock.set(new Date(Math.max(next, world.clock.now().getTime())));
      if (act !== undefined && next === actAt) {
        pending.shift();
        await act.act();
      } else if (next === timerAt) {
        await tick();
      } else {
        await nightlyPass();
        pass = nextPassAfter(world.clock.now());
      }
      await settle();
    }
    throw new Error('the walk did not reach its end');
  };

  /** SES reports a click on the last mail of a template, as the ses-feedback function hands it over. */
  const clickOn = (templateId: string) => async () => {
    const key = sentKeys.get(templateId);
    if (key === undefined) throw new Error(`no ${templateId} mail was sent to click on`);
    const at = world.clock.now().toISOString();
    const click = SesNotification.parse({
      eventType: 'Click',
      mail: {
        messageId: 'ses-question',
        timestamp: at,
        destination: [contact.email],
        tags: { 'rapport-contact': [contact.id], 'rapport-message': [key] },
      },
      click: { timestamp: at, link: 'http://rapport.test/v1/preferences?token=t' },
    });
    await recordSesFeedback(
      {
        suppressions: world.suppressions,
        softBounces: world.softBounces,
        contacts: world.contacts,
        stats: world.stats,
        ids: world.ids,
        clicks: world.clicks,
        sendingState: world.sendingState,
        settings: { attributionWindowDays: 7, reputation: defaultReputationThresholds },
      },
      click,
      { notificationId: `sns-${at}` },
      world.clock.now(),
    );
  };

  /** A newsletter queued for the contact, as a journey or campaign would. */
  const newsletter = (key: string) => async () => {
    const message: Message = {
      contactId: contact.id,
      key,
      channel: 'email',
      kind: 'marketing',
      templateId: 'news',
      status: 'queued',
      createdAt: world.clock.now().toISOString(),
      attempts: 0,
    };
    await world.outbox.enqueue(message);
  };

  const stored = async () => {
    const found = await world.contacts.get(contact.id);
    if (found === undefined) throw new Error('the contact is gone');
    return found;
  };

  return { runUntil, clickOn, newsletter, deliveries, stored };
};

/** A walk runs a nightly pass for each of a few months. */
const walkTimeoutMs = 60_000;

const questions = (deliveries: Delivery[]) => deliveries.filter((d) => d.template === 're-engagement');

describe('the re-engagement journey', () => {
  describe('when the contact stays silent', () => {
    let deliveries: Delivery[];
    let contact: Contact;
    beforeAll(async () => {
      const run = await walk();
      await run.runUntil('2027-03-01T00:00:00.000Z', [
        { at: '2026-11-01T12:00:00.000Z', act: run.newsletter('before-the-question') },
        { at: '2027-01-10T12:00:00.000Z', act: run.newsletter('after-the-sunset') },
      ]);
      deliveries = run.deliveries;
      contact = await run.stored();
    }, walkTimeoutMs);

    it('asks once, after 335 days, while the sunset still lets the question through', () => {
      expect(questions(deliveries)).toEqual([
        { at: '2026-12-07', template: 're-engagement', outcome: 'sent' },
      ]);
    });

    it('marks them unanswered after 30 days', () => {
      expect(contact.attributes).toMatchObject({ re_engagement: 'unanswered' });
    });

    it('mails them before the sunset and not after it', () => {
      expect(deliveries.filter((d) => d.template === 'news')).toEqual([
        { at: '2026-11-01', template: 'news', outcome: 'sent' },
        { at: '2027-01-10', template: 'news', outcome: 'skipped: not-engaged' },
      ]);
    });
  });

  describe('when the contact clicks in the question', () => {
    let deliveries: Delivery[];
    let contact: Contact;
    beforeAll(async () => {
      const run = await walk();
      await run.runUntil('2027-03-01T00:00:00.000Z', [
        { at: '2026-12-08T19:30:00.000Z', act: run.clickOn('re-engagement') },
        { at: '2027-01-10T12:00:00.000Z', act: run.newsletter('after-the-answer') },
      ]);
      deliveries = run.deliveries;
      contact = await run.stored();
    }, walkTimeoutMs);

    it('records the click as engagement', () => {
      expect(contact.lastEngagedAt).toBe('2026-12-08T19:30:00.000Z');
    });

    it('keeps them, marked kept, and asks nothing more', () => {
      expect(contact.attributes).toMatchObject({ re_engagement: 'kept' });
      expect(questions(deliveries)).toHaveLength(1);
    });

    it('goes on mailing them past the date the sunset would have come', () => {
      expect(deliveries.filter((d) => d.template === 'news')).toEqual([
        { at: '2027-01-10', template: 'news', outcome: 'sent' },
      ]);
    });
  });

  describe('when the contact engages before the question is due', () => {
    it(
      'never asks, and the sunset never comes',
      async () => {
        const run = await walk('2026-08-31T00:00:00.000Z');
        await run.runUntil('2027-03-01T00:00:00.000Z', [
          // Any click counts: here one on the newsletter of the autumn.
          { at: '2026-09-01T12:00:00.000Z', act: run.newsletter('autumn') },
          { at: '2026-09-02T08:00:00.000Z', act: run.clickOn('news') },
          { at: '2027-01-10T12:00:00.000Z', act: run.newsletter('winter') },
        ]);
        expect(questions(run.deliveries)).toEqual([]);
        expect(run.deliveries.map((d) => d.outcome)).toEqual(['sent', 'sent']);
      },
      walkTimeoutMs,
    );
  });
});

describe('a journey simulated with the deployment’s sunset', () => {
  const sources = async () => {
    const library = await shippedTemplates();
    return { template: async (id: string) => library.get(id) };
  };

  it('skips the marketing email of a contact the sunset has reached, as deliver does', async () => {
    const input = {
      definition: await shippedJourney('birthday'),
      contact: aSubscribedContact({
        lastEngagedAt: '2025-03-01T00:00:00.000Z',
        attributes: { birthday: '1990-05-17' },
      }),
      events: [],
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-12-31T00:00:00Z'),
    };

    const unset = brief((await simulate(input, await sources())).timeline);
    const sunset = brief((await simulate(input, { ...(await sources()), sunsetAfter: 'P365D' })).timeline);

    expect(unset).toContain('2026-05-17T09:00 sent email birthday');
    expect(sunset).toContain('2026-05-17T09:00 skipped email birthday: not-engaged');
  });

  it('counts an order in the events as engagement, as ingestion does', async () => {
    const input = {
      definition: await shippedJourney('win-back'),
      contact: aSubscribedContact({ lastEngagedAt: '2025-06-01T00:00:00.000Z' }),
      events: [
        {
          id: 'order-1',
          type: 'order_completed' as const,
          at: '2026-01-05T10:00:00Z',
          data: { orderId: 'order-1', products: [] },
        },
      ],
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-08-01T00:00:00Z'),
    };

    const result = await simulate(input, { ...(await sources()), sunsetAfter: 'P365D' });

    expect(brief(result.timeline)).toContain('2026-07-04T10:00 sent email win-back');
    expect(result.contact?.lastEngagedAt).toBe('2026-01-05T10:00:00.000Z');
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import {
  type DeliverabilityReportDeps,
  deliverabilityReport,
} from '../../../lib/app/deliverability-report.js';
import { DeliverabilityReport } from '../../../lib/domain/deliverability-report.js';
import { ValidationError } from '../../../lib/domain/errors.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { defaultReputationThresholds } from '../../../lib/domain/reputation.js';
import { metricKey, statsScope } from '../../../lib/domain/stats-keys.js';
import { springSale } from './support/campaigns.js';
import { aWorld } from './support/worlds.js';

const today = '2026-11-23';
const yesterday = '2026-11-22';
const threeDaysAgo = '2026-11-20';
let world: MemoryWorld;
let deps: DeliverabilityReportDeps;

type SesEvent = 'send' | 'delivery' | 'bounce' | 'complaint';

/** SES's events on a scope's mail, as the feedback function counts them. */
const ses = async (scope: string, day: string, events: Partial<Record<SesEvent, number>>) => {
  for (const [event, by] of Object.entries(events))
    await world.stats.increment(scope, day, metricKey({ kind: 'ses', event }), by);
};

const publishJourney = (id: string, name = `Journey ${id}`) =>
  world.journeys.publish(
    JourneyDefinition.parse({
      id,
      name,
      trigger: { event: 'signup_confirmed' },
      start: 'hello',
      nodes: [{ id: 'hello', type: 'send_email', template: 'welcome' }],
    }),
    world.clock.now(),
  );

const launchCampaign = async (id: string) => {
  const saved = await world.campaigns.put(springSale({ id, name: `Campaign ${id}` }), world.clock.now());
  await world.campaigns.update(
    id,
    { status: 'sending', launchedAt: `${threeDaysAgo}T09:00:00.000Z` },
    world.clock.now(),
    saved.version,
  );
};

beforeEach(() => {
  world = aWorld(`${today}T12:00:00.000Z`);
  deps = {
    journeys: world.journeys,
    campaigns: world.campaigns,
    stats: world.stats,
    sending: world.sendingState,
    clock: world.clock,
    thresholds: defaultReputationThresholds,
  };
});

describe('when nothing was sent', () => {
  it('answers the last 30 UTC days, every one present with no rate, and marketing email active', async () => {
    const report = DeliverabilityReport.parse(await deliverabilityReport(deps, {}));

    expect([report.from, report.to]).toEqual(['2026-10-25', today]);
    expect(report.days).toHaveLength(30);
    expect(report.days.at(-1)).toEqual({
      day: today,
      sent: 0,
      delivered: 0,
      bounced: 0,
      complained: 0,
      bounceRate: null,
      complaintRate: null,
      level: 'healthy',
      tooFewSends: true,
    });
    expect(report.total).toMatchObject({ sent: 0, bounceRate: null, complaintRate: null });
    expect(report.sending).toEqual({ status: 'active', version: 0 });
    expect(report.thresholds).toEqual(defaultReputationThresholds);
    expect(report.window).toMatchObject({ from: yesterday, to: today, level: 'healthy', breaches: [] });
    expect(report.journeys).toEqual([]);
    expect(report.campaigns).toEqual([]);
  });
});

describe('when mail went out', () => {
  it('gives each day its rates over SES’s sends, and the period’s in total', async () => {
    await ses(statsScope.email, today, { send: 2000, delivery: 1900, bounce: 60, complaint: 1 });
    await ses(statsScope.email, threeDaysAgo, { send: 500, delivery: 495, bounce: 5 });

    const report = await deliverabilityReport(deps, { days: '7' });

    expect(report.days.map((day) => day.day)).toEqual([
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      threeDaysAgo,
      '2026-11-21',
      yesterday,
      today,
    ]);
    expect(report.days.at(-1)).toEqual({
      day: today,
      sent: 2000,
      delivered: 1900,
      bounced: 60,
      complained: 1,
      bounceRate: 0.03,
      complaintRate: 0.0005,
      level: 'warning',
      tooFewSends: false,
    });
    expect(report.days[3]).toMatchObject({ bounceRate: 0.01, complaintRate: 0, level: 'healthy' });
    expect(report.total).toEqual({
      sent: 2500,
      delivered: 2395,
      bounced: 65,
      complained: 1,
      bounceRate: 65 / 2500,
      complaintRate: 1 / 2500,
    });
  });

  it('judges the last windowDays days as the pause does, and names what breached', async () => {
    await ses(statsScope.email, yesterday, { send: 1000, complaint: 1 });
    await ses(statsScope.email, today, { send: 500, complaint: 1, bounce: 3 });
    // Before the window: its complaints count in the period, not in the window.
    await ses(statsScope.email, threeDaysAgo, { send: 100, complaint: 50 });

    const { window } = await deliverabilityReport(deps, {});

    expect(window).toMatchObject({
      from: yesterday,
      to: today,
      rates: { sent: 1500, complained: 2, bounced: 3 },
      level: 'critical',
      tooFewSends: false,
      breaches: [{ rate: 'complaint-rate', level: 'critical', value: 2 / 1500, threshold: 0.001 }],
    });
    expect(window.cause).toContain('complaint rate 0.13 % (2 of 1500 sent)');
  });

  it('after a resume, judges the window only by what was counted since, as the pause does', async () => {
    await ses(statsScope.email, today, { send: 1500, complaint: 3 });
    await world.sendingState.pause({
      at: `${today}T08:00:00.000Z`,
      source: 'complaint-rate',
      cause: 'spike',
    });
    await world.sendingState.resume({
      at: `${today}T10:00:00.000Z`,
      by: 'admin-1',
      countsAtResume: { [today]: { send: 1500, bounce: 0, complaint: 3 } },
    });
    await ses(statsScope.email, today, { send: 1200, complaint: 1 });

    const { window, total } = await deliverabilityReport(deps, {});

    expect(window).toMatchObject({ rates: { sent: 1200, complained: 1 }, level: 'warning' });
    expect(total).toMatchObject({ sent: 2700, complained: 4 });
  });

  it('reads the whole window even when the period asked for is shorter', async () => {
    await ses(statsScope.email, yesterday, { send: 1200, complaint: 2 });

    const report = await deliverabilityReport(deps, { days: '1' });

    expect(report.days.map((day) => day.day)).toEqual([today]);
    expect(report.total.sent).toBe(0);
    expect(report.window).toMatchObject({ from: yesterday, rates: { sent: 1200 }, level: 'critical' });
  });

  it('marks rates past a threshold over too few sends, but does not judge the window by them', async () => {
    await ses(statsScope.email, today, { send: 40, complaint: 1 });

    const report = await deliverabilityReport(deps, {});

    expect(report.days.at(-1)).toMatchObject({ level: 'critical', tooFewSends: true });
    expect(report.window).toMatchObject({ level: 'healthy', tooFewSends: true });
    expect(report.window.breaches).toHaveLength(1);
  });
});

describe('per journey and per campaign', () => {
  beforeEach(async () => {
    for (const id of ['welcome', 'winback', 'birthday', 'quiet']) await publishJourney(id);
    await ses(statsScope.journey('welcome'), today, { send: 1000, bounce: 10, complaint: 1 });
    await ses(statsScope.journey('winback'), yesterday, { send: 400, bounce: 40, complaint: 1 });
    await ses(statsScope.journey('winback'), today, { send: 100, bounce: 5 });
    await ses(statsScope.journey('birthday'), today, { send: 1000, bounce: 100, complaint: 1 });
    for (const id of ['spring', 'autumn', 'late']) await launchCampaign(id);
    await ses(statsScope.campaign('spring'), threeDaysAgo, { send: 300, bounce: 3 });
    // A complaint on mail sent before the period: counted, with no send to rate it by.
    await ses(statsScope.campaign('late'), today, { complaint: 1 });
    await ses(statsScope.campaign('autumn'), today, { send: 200, complaint: 1 });
    // A draft never sent anything its counters could hold.
    await world.campaigns.put(springSale({ id: 'draft', name: 'Draft' }), world.clock.now());
  });

  it('sums each over the period and puts the worst first: complaint rate, then bounce rate', async () => {
    const report = await deliverabilityReport(deps, {});

    expect(report.journeys.map((row) => [row.id, row.complaintRate, row.bounceRate])).toEqual([
      ['winback', 1 / 500, 45 / 500],
      ['birthday', 1 / 1000, 100 / 1000],
      ['welcome', 1 / 1000, 10 / 1000],
    ]);
    expect(report.journeys[0]).toEqual({
      id: 'winback',
      name: 'Journey winback',
      sent: 500,
      delivered: 0,
      bounced: 45,
      complained: 1,
      bounceRate: 0.09,
      complaintRate: 0.002,
      level: 'critical',
      tooFewSends: true,
    });
    expect(report.journeys[2]).toMatchObject({ level: 'critical', tooFewSends: false });
  });

  it('leaves out journeys and campaigns with no SES event in the period, and rates nothing sent last', async () => {
    const report = await deliverabilityReport(deps, {});

    expect(report.journeys.map((row) => row.id)).not.toContain('quiet');
    expect(report.campaigns.map((row) => [row.id, row.complaintRate, row.bounceRate])).toEqual([
      ['autumn', 1 / 200, 0],
      ['spring', 0, 0.01],
      ['late', null, null],
    ]);
    expect(report.campaigns[2]).toMatchObject({ complained: 1, sent: 0, level: 'healthy' });
  });

  it('counts only the days of the period asked for', async () => {
    const report = await deliverabilityReport(deps, { days: '2' });

    expect(report.campaigns.map((row) => row.id)).toEqual(['autumn', 'late']);
    expect(report.journeys.find((row) => row.id === 'winback')).toMatchObject({ sent: 500, bounced: 45 });
  });

  it('breaks ties by sends, then by id, so the order never depends on read order', async () => {
    await publishJourney('another');
    await ses(statsScope.journey('another'), today, { send: 1000, bounce: 10, complaint: 1 });
    await publishJourney('bigger');
    await ses(statsScope.journey('bigger'), today, { send: 2000, bounce: 20, complaint: 2 });

    const report = await deliverabilityReport(deps, {});

    expect(report.journeys.map((row) => row.id)).toEqual([
      'winback',
      'birthday',
      'bigger',
      'another',
      'welcome',
    ]);
  });
});

describe('when marketing email is paused', () => {
  it('says since when, by what and why', async () => {
    const pause = {
      at: `${today}T11:30:00.000Z`,
      source: 'bounce-rate',
      cause: 'bounce rate 6.0 % (120 of 2000 sent) at or above the critical threshold 5.0 %',
    } as const;
    await world.sendingState.pause(pause);

    const report = await deliverabilityReport(deps, {});

    expect(report.sending).toEqual({ status: 'paused', version: 1, pause });
  });
});

describe('the period', () => {
  it.each([
    ['1', 1],
    ['90', 90],
    [undefined, 30],
  ])('takes days=%s', async (days, expected) => {
    const report = await deliverabilityReport(deps, days === undefined ? {} : { days });

    expect(report.days).toHaveLength(expected);
  });

  it.each(['0', '91', 'many', '2.5', ''])('refuses days=%s, naming days', async (days) => {
    const refused = deliverabilityReport(deps, { days });

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ fields: { days: expect.any(String) } });
  });
});

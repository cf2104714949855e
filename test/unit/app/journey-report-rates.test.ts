import { describe, expect, it } from 'vitest';
import { journeyReportOf } from '../../../lib/app/journey-report.js';
import { publishJourney, putJourneyDraft } from '../../../lib/app/manage-journeys.js';
import { JourneyReportAnswer } from '../../../lib/domain/journey-answers.js';
import { publishCompiled } from '../../support/publish-compiled.js';
import { adminStoresFor, aWorld } from './support/worlds.js';

const aPublishedJourney = async () => {
  const world = aWorld('2026-11-20T10:00:00Z');
  const admin = { ...adminStoresFor(world), clock: world.clock };
  await publishCompiled(
    admin.templates,
    { id: 'welcome', kind: 'marketing', subject: 'Hi', text: 'Hello', mjml: '<mj-text>Hello</mj-text>' },
    world.clock.now(),
  );
  await putJourneyDraft(admin, 'welcome', {
    id: 'welcome',
    name: 'Welcome',
    trigger: { event: 'signup_confirmed' },
    start: 'hi',
    nodes: [{ id: 'hi', type: 'send_email', template: 'welcome' }],
  });
  await publishJourney(admin, 'welcome');
  return admin;
};

describe('when a journey report is read', () => {
  it('gives SES’s events on its mail over the range, with the bounce and complaint rates', async () => {
    const admin = await aPublishedJourney();
    const counts: Array<[string, string, number]> = [
      ['2026-11-18', 'send', 5000],
      ['2026-11-19', 'send', 600],
      ['2026-11-19', 'delivery', 570],
      ['2026-11-19', 'bounce', 24],
      ['2026-11-20', 'send', 400],
      ['2026-11-20', 'delivery', 392],
      ['2026-11-20', 'bounce', 6],
      ['2026-11-20', 'complaint', 2],
      // A node's counter is the node's, not another send of the journey's.
      ['2026-11-20', 'node:hi:sent', 400],
    ];
    for (const [day, metric, by] of counts) await admin.stats.increment('journey:welcome', day, metric, by);

    const report = await journeyReportOf(admin, 'welcome', { from: '2026-11-19', to: '2026-11-20' }, 'EUR');

    expect(report.email).toEqual({
      sent: 1000,
      delivered: 962,
      bounced: 30,
      complained: 2,
      bounceRate: 0.03,
      complaintRate: 0.002,
    });
    expect(JourneyReportAnswer.parse(report)).toEqual(report);
  });

  it('has no rate when SES reported no send in the range', async () => {
    const admin = await aPublishedJourney();
    await admin.stats.increment('journey:welcome', '2026-11-20', 'complaint', 1);

    const report = await journeyReportOf(admin, 'welcome', { from: '2026-11-20', to: '2026-11-20' }, 'EUR');

    expect(report.email).toMatchObject({ sent: 0, complained: 1, bounceRate: null, complaintRate: null });
  });
});

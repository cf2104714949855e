import { beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../../lib/domain/contact.js';
import type { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { SimulationEvent } from '../../../lib/domain/simulate.js';
import { aContact } from '../domain/support/journeys.js';
import { at, brief, sent, shippedJourney, simulateCase } from './support/simulation.js';

let journey: JourneyDefinition;
beforeAll(async () => {
  journey = await shippedJourney('welcome-series');
});

const reader = (overrides: Partial<Contact> = {}): Contact =>
  aContact({ acquisition: { form: 'newsletter', at: '2026-03-02T09:58:00Z' }, ...overrides });
const confirmed: SimulationEvent = {
  id: 'confirm-1',
  type: 'signup_confirmed',
  at: '2026-03-02T10:00:00Z',
  data: { topics: ['newsletter'], channel: 'email' },
};
const run = (events: SimulationEvent[], contact = reader()) =>
  simulateCase({
    definition: journey,
    contact,
    events,
    from: at('2026-03-01T00:00:00Z'),
    to: at('2026-06-01T00:00:00Z'),
  });

describe('the welcome series', () => {
  describe('when the reader never visits the preference center', () => {
    it('sends getting started on day 2, the topics nudge on day 6 and the best of on day 10', async () => {
      expect(brief((await run([confirmed])).timeline)).toEqual([
        '2026-03-02T10:00 entered',
        '2026-03-02T10:00 waiting at settle-in until 2026-03-04T10:00',
        '2026-03-04T10:00 sent email welcome-series-getting-started',
        '2026-03-04T10:00 waiting at watch-preferences until 2026-03-08T10:00',
        '2026-03-08T10:00 sent email welcome-series-choose-topics',
        '2026-03-08T10:00 waiting at before-best-of until 2026-03-12T10:00',
        '2026-03-12T10:00 sent email welcome-series-best-of',
        '2026-03-12T10:00 completed',
      ]);
    });
  });

  describe('when the reader chooses topics after the first email', () => {
    const visit: SimulationEvent = {
      type: 'topics_changed',
      at: '2026-03-05T12:00:00Z',
      data: { topics: ['newsletter', 'recommendations'] },
    };

    it('counts the goal, thanks them instead of nudging, and still ends with the best of', async () => {
      expect(brief((await run([confirmed, visit])).timeline)).toEqual([
        '2026-03-02T10:00 entered',
        '2026-03-02T10:00 waiting at settle-in until 2026-03-04T10:00',
        '2026-03-04T10:00 sent email welcome-series-getting-started',
        '2026-03-04T10:00 waiting at watch-preferences until 2026-03-08T10:00',
        '2026-03-05T12:00 sent email welcome-series-thanks',
        '2026-03-05T12:00 waiting at before-best-of until 2026-03-09T12:00',
        '2026-03-05T12:00 goal',
        '2026-03-09T12:00 sent email welcome-series-best-of',
        '2026-03-09T12:00 completed',
      ]);
    });
  });

  describe('when the reader unsubscribes after the first email', () => {
    it('ends the series and sends nothing more', async () => {
      const result = await run([
        confirmed,
        { type: 'unsubscribed', at: '2026-03-06T08:00:00Z', data: { channel: 'email' } },
      ]);
      expect(sent(result.timeline)).toEqual(['2026-03-04T10:00 welcome-series-getting-started']);
      expect(result.timeline.at(-1)).toMatchObject({ kind: 'exited', reason: 'exit_when unsubscribed' });
      expect(result.contact.consent.email.status).toBe('unsubscribed');
    });
  });

  describe('under the delivery policy', () => {
    it('holds an email due at 21:30 in Berlin until 08:00 there', async () => {
      const result = await simulateCase({
        definition: journey,
        contact: reader({ timeZone: 'Europe/Berlin' }),
        events: [{ ...confirmed, at: '2026-03-02T20:30:00Z' }],
        from: at('2026-03-01T00:00:00Z'),
        to: at('2026-06-01T00:00:00Z'),
        policy: {
          email: {
            caps: [{ max: 3, per: 'P7D' }],
            quiet_hours: { start: '21:00', end: '08:00' },
            when_capped: 'defer',
          },
        },
      });
      const deliveries = brief(result.timeline).filter((line) => / (sent|deferred) /.test(line));
      expect(deliveries).toEqual([
        '2026-03-04T20:30 deferred email welcome-series-getting-started until 2026-03-05T07:00: quiet-hours',
        '2026-03-05T07:00 sent email welcome-series-getting-started',
        '2026-03-08T20:30 deferred email welcome-series-choose-topics until 2026-03-09T07:00: quiet-hours',
        '2026-03-09T07:00 sent email welcome-series-choose-topics',
        '2026-03-12T20:30 deferred email welcome-series-best-of until 2026-03-13T07:00: quiet-hours',
        '2026-03-13T07:00 sent email welcome-series-best-of',
      ]);
    });
  });

  it('does not start for a signup from another form, so welcome.yaml alone greets it', async () => {
    const result = await run([confirmed], aContact());
    expect(brief(result.timeline)).toEqual(['2026-03-02T10:00 not-entered: entry-condition']);
  });

  it('does not start for a signup without the newsletter topic', async () => {
    const result = await run([{ ...confirmed, data: { topics: ['recommendations'] } }]);
    expect(brief(result.timeline)).toEqual(['2026-03-02T10:00 not-entered: trigger-condition']);
  });

  it('runs once per contact: a later confirmation does not start it again', async () => {
    const again: SimulationEvent = { ...confirmed, id: 'confirm-2', at: '2026-04-20T10:00:00Z' };
    const result = await run([confirmed, again]);
    expect(brief(result.timeline).at(-1)).toBe('2026-04-20T10:00 not-entered: already-entered');
    expect(sent(result.timeline)).toHaveLength(3);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../../lib/domain/contact.js';
import type { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { SimulationEvent } from '../../../lib/domain/simulate.js';
import { aContact } from '../domain/support/journeys.js';
import { at, brief, sent, shippedJourney, simulateCase } from './support/simulation.js';

let journey: JourneyDefinition;
beforeAll(async () => {
  journey = await shippedJourney('birthday');
});

const run = (contact: Contact, events: SimulationEvent[] = [], to = '2029-01-01T00:00:00Z') =>
  simulateCase({ definition: journey, contact, events, from: at('2026-01-01T00:00:00Z'), to: at(to) });

const tokyo = (birthday: unknown): Contact => aContact({ timeZone: 'Asia/Tokyo', attributes: { birthday } });

describe('the birthday greeting', () => {
  describe('when the contact has a birthday', () => {
    let result: Awaited<ReturnType<typeof run>>;
    beforeAll(async () => {
      result = await run(tokyo('1990-05-17'));
    });

    it('greets at 09:00 their time on the day, every year', async () => {
      expect(sent(result.timeline)).toEqual([
        '2026-05-17T00:00 birthday',
        '2027-05-17T00:00 birthday',
        '2028-05-17T00:00 birthday',
      ]);
    });

    it('remembers the last year it greeted on the contact', async () => {
      expect(result.contact.attributes.last_birthday_greeting).toBe('2028-05-17');
      expect(brief(result.timeline)).toContain('2026-05-17T00:00 updated last_birthday_greeting');
    });
  });

  it('greets a leap-day birthday on 28 February in other years', async () => {
    const leap = await run(aContact({ attributes: { birthday: '2000-02-29' } }));
    expect(sent(leap.timeline)).toEqual([
      '2026-02-28T09:00 birthday',
      '2027-02-28T09:00 birthday',
      '2028-02-29T09:00 birthday',
    ]);
  });

  it('does nothing for a contact without a birthday, or with one that is not a date', async () => {
    expect((await run(aContact())).timeline).toEqual([]);
    expect((await run(aContact({ attributes: { birthday: 'soon' } }))).timeline).toEqual([]);
  });

  describe('when the contact unsubscribed before the day', () => {
    it('does not enter', async () => {
      const gone = await run(
        tokyo('1990-05-17'),
        [{ type: 'unsubscribed', at: '2026-03-01T00:00:00Z' }],
        '2026-12-31T00:00:00Z',
      );
      expect(brief(gone.timeline)).toEqual([expect.stringMatching(/^2026-05-17T00:00 not-entered: /)]);
    });
  });
});

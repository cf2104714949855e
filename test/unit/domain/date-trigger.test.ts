import { describe, expect, it } from 'vitest';
import { dateReachedEvent, dateTriggerFired, upcomingDateTimers } from '../../../lib/domain/date-trigger.js';
import { DateTrigger, JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { aContact } from './support/journeys.js';

const trigger = (raw: Record<string, unknown>) => DateTrigger.parse(raw);
const dueTimes = (
  raw: Record<string, unknown>,
  attributes: Record<string, unknown>,
  now: string,
  zone = 'UTC',
) =>
  upcomingDateTimers('j', trigger(raw), aContact({ attributes }), new Date(now), zone).map(
    (timer) => timer.dueAt,
  );

describe('date triggers', () => {
  describe('when the trigger repeats yearly', () => {
    it('files this year’s occurrence while it is ahead, and next year’s once it has passed', () => {
      const yearly = { date: 'contact.attributes.birthday', repeat: 'yearly' };
      expect(dueTimes(yearly, { birthday: '1990-05-17' }, '2026-05-17T08:59:00Z')).toEqual([
        '2026-05-17T09:00:00.000Z',
      ]);
      expect(dueTimes(yearly, { birthday: '1990-05-17' }, '2026-05-17T09:00:00Z')).toEqual([
        '2027-05-17T09:00:00.000Z',
      ]);
    });

    it('carries an offset across New Year', () => {
      const early = { date: 'contact.attributes.birthday', repeat: 'yearly', offset: '-P7D' };
      expect(dueTimes(early, { birthday: '1990-01-03' }, '2026-12-01T00:00:00Z')).toEqual([
        '2026-12-27T09:00:00.000Z',
      ]);
    });
  });

  describe('when the trigger fires once', () => {
    const before = { date: 'contact.attributes.due', offset: '-P30D', at: '08:30' };

    it('files the date minus the offset at the time of day in the contact’s zone, across DST', () => {
      // 08:30 in Berlin on 1 March is CET (UTC+1); the due date is in CEST.
      expect(dueTimes(before, { due: '2027-03-31' }, '2026-01-01T00:00:00Z', 'Europe/Berlin')).toEqual([
        '2027-03-01T07:30:00.000Z',
      ]);
    });

    it('files nothing for a date already past', () => {
      expect(dueTimes(before, { due: '2026-01-15' }, '2026-01-01T00:00:00Z')).toEqual([]);
    });
  });

  it('files one timer per date when the path goes through a list', () => {
    const owned = { date: 'contact.products.replacementDueAt', offset: '-P30D' };
    const contact = aContact();
    const timers = upcomingDateTimers(
      'j',
      trigger(owned),
      {
        ...contact,
        ...{ products: [{ replacementDueAt: '2030-01-31' }, { replacementDueAt: '2028-06-30' }] },
      },
      new Date('2026-01-01T00:00:00Z'),
      'UTC',
    );
    expect(timers.map((timer) => timer.occurrence)).toEqual(['2030-01-31', '2028-06-30']);
  });

  describe('when a fired date is checked against the contact as it is now', () => {
    const yearly = trigger({ date: 'contact.attributes.birthday', repeat: 'yearly' });
    const contact = aContact({ attributes: { birthday: '1990-05-17' } });
    const [timer] = upcomingDateTimers('j', yearly, contact, new Date('2026-01-01T00:00:00Z'), 'UTC');
    const event = timer === undefined ? undefined : dateReachedEvent(timer, new Date(timer.dueAt));

    it('stands when nothing changed', () => {
      expect(event && dateTriggerFired('j', yearly, contact, event, 'UTC')).toBe(true);
    });

    it('is stale once the birthday was corrected', () => {
      const corrected = aContact({ attributes: { birthday: '1990-06-17' } });
      expect(event && dateTriggerFired('j', yearly, corrected, event, 'UTC')).toBe(false);
    });

    it('is stale once a new version moved the time of day', () => {
      const later = trigger({ date: 'contact.attributes.birthday', repeat: 'yearly', at: '10:00' });
      expect(event && dateTriggerFired('j', later, contact, event, 'UTC')).toBe(false);
    });

    it('belongs to its journey only', () => {
      expect(event && dateTriggerFired('other', yearly, contact, event, 'UTC')).toBe(false);
    });
  });

  it('refuses a yearly trigger on a journey a contact may enter only once', () => {
    const once = JourneyDefinition.safeParse({
      id: 'birthday',
      name: 'Birthday',
      trigger: { date: 'contact.attributes.birthday', repeat: 'yearly' },
      start: 'bye',
      nodes: [{ id: 'bye', type: 'exit' }],
    });
    expect(once.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['entry.reentry']);
  });

  it('refuses a date path outside the contact', () => {
    expect(DateTrigger.safeParse({ date: 'event.data.due' }).error?.issues[0]?.message).toBe(
      'must be a path into the contact such as contact.attributes.birthday',
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  EngagementCountsOpens,
  engagementInstant,
  engagementNeedsWrite,
  isSunset,
  laterEngagement,
  SunsetAfter,
  sunsetAt,
  sunsetClockStart,
  withEngagement,
} from '../../../lib/domain/engagement.js';
import { aContact, aSubscribedContact } from '../../support/builders.js';

const subscribedAt = '2026-10-01T08:00:00.000Z';

describe('the engagement date', () => {
  it('takes the later of the stored date and the new one, so it never moves back', () => {
    expect(laterEngagement(undefined, '2026-11-01T10:00:00.000Z')).toBe('2026-11-01T10:00:00.000Z');
    expect(laterEngagement('2026-11-01T10:00:00.000Z', '2026-11-02T10:00:00.000Z')).toBe(
      '2026-11-02T10:00:00.000Z',
    );
    expect(laterEngagement('2026-11-02T10:00:00.000Z', '2026-11-01T10:00:00.000Z')).toBe(
      '2026-11-02T10:00:00.000Z',
    );
  });

  it('is set on a contact without one, and kept on one with a later one', () => {
    const fresh = withEngagement(aSubscribedContact(), '2026-11-01T10:00:00.000Z');
    expect(fresh.lastEngagedAt).toBe('2026-11-01T10:00:00.000Z');
    const later = aSubscribedContact({ lastEngagedAt: '2026-11-05T10:00:00.000Z' });
    expect(withEngagement(later, '2026-11-01T10:00:00.000Z').lastEngagedAt).toBe('2026-11-05T10:00:00.000Z');
  });

  it('is dated by the event, but never later than now', () => {
    const now = new Date('2026-11-23T12:00:00.000Z');
    expect(engagementInstant('2026-11-23T09:00:19.652Z', now)).toBe('2026-11-23T09:00:19.652Z');
    expect(engagementInstant('2026-11-23T09:00:19+01:00', now)).toBe('2026-11-23T08:00:19.000Z');
    expect(engagementInstant('2026-11-24T09:00:00.000Z', now)).toBe(now.toISOString());
  });

  describe('when deciding whether an engagement needs a write of its own', () => {
    const stored = '2026-11-23T09:00:00.000Z';

    it('writes the first one, and one more than an hour after the stored date', () => {
      expect(engagementNeedsWrite(undefined, stored)).toBe(true);
      expect(engagementNeedsWrite(stored, '2026-11-23T10:00:00.001Z')).toBe(true);
    });

    it('skips one within the hour after the stored date, and one before it', () => {
      expect(engagementNeedsWrite(stored, '2026-11-23T10:00:00.000Z')).toBe(false);
      expect(engagementNeedsWrite(stored, '2026-11-23T09:30:00.000Z')).toBe(false);
      expect(engagementNeedsWrite(stored, '2026-11-20T09:00:00.000Z')).toBe(false);
    });
  });
});

describe('the sunset clock', () => {
  it('starts at the last engagement', () => {
    const contact = aSubscribedContact({ lastEngagedAt: '2026-11-10T10:00:00.000Z' });
    expect(sunsetClockStart(contact)).toBe('2026-11-10T10:00:00.000Z');
  });

  it('starts at the confirmation for a subscribed profile kept before engagement was recorded', () => {
    expect(sunsetClockStart(aSubscribedContact({ createdAt: '2025-01-01T00:00:00.000Z' }))).toBe(
      subscribedAt,
    );
  });

  it('starts at the profile’s creation when the contact is not subscribed', () => {
    expect(sunsetClockStart(aContact({ createdAt: '2025-01-01T00:00:00.000Z' }))).toBe(
      '2025-01-01T00:00:00.000Z',
    );
  });

  it('falls at the clock’s start plus the setting, in calendar time', () => {
    const contact = aSubscribedContact({ lastEngagedAt: '2026-01-31T10:00:00.000Z' });
    expect(sunsetAt(contact, 'P365D')?.toISOString()).toBe('2027-01-31T10:00:00.000Z');
    expect(sunsetAt(contact, 'P1M')?.toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(sunsetAt(contact, 'off')).toBeUndefined();
  });

  describe('when a contact has not engaged for the whole setting', () => {
    const contact = aSubscribedContact({ lastEngagedAt: '2025-11-23T12:00:00.000Z' });

    it('skips them from that instant on', () => {
      expect(isSunset(contact, 'P365D', new Date('2026-11-23T11:59:59.999Z'))).toBe(false);
      expect(isSunset(contact, 'P365D', new Date('2026-11-23T12:00:00.000Z'))).toBe(true);
    });

    it('never skips them when the sunset is off', () => {
      expect(isSunset(contact, 'off', new Date('2036-01-01T00:00:00.000Z'))).toBe(false);
    });
  });
});

describe('the sunset setting', () => {
  it('takes an ISO 8601 duration, or off in any case', () => {
    expect(SunsetAfter.parse('P365D')).toBe('P365D');
    expect(SunsetAfter.parse(' P18M ')).toBe('P18M');
    expect(SunsetAfter.parse('P2Y')).toBe('P2Y');
    expect(SunsetAfter.parse('Off')).toBe('off');
  });

  it.each([
    ['P0D', 'zero would stop every marketing email'],
    ['P7D', 'shorter than 30 days'],
    ['P30Y', 'longer than 20 years'],
    ['-P365D', 'negative'],
    ['365', 'a bare number'],
    ['', 'empty'],
  ])('refuses %s (%s), naming what it takes', (value) => {
    const parsed = SunsetAfter.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      `"${value}" must be an ISO 8601 duration of at least P30D (such as P365D or P18M), or "off"`,
    );
  });

  it('reads whether opens count as true or false only', () => {
    expect(EngagementCountsOpens.parse(' FALSE ')).toBe(false);
    expect(EngagementCountsOpens.parse(true)).toBe(true);
    expect(EngagementCountsOpens.safeParse('no').error?.issues[0]?.message).toBe(
      '"no" must be true or false',
    );
  });
});

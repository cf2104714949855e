import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import {
  checkDelivery,
  InvalidDeliveryPolicyError,
  loadDeliveryPolicy,
} from '../../../lib/domain/delivery-policy.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const at = (iso: string): Date => new Date(iso);

const capped = (when_capped: 'skip' | 'defer'): DeliveryPolicy => ({
  email: { caps: [{ max: 3, per: 'P7D' }], when_capped },
});
const quiet: DeliveryPolicy = {
  email: { caps: [], quiet_hours: { start: '21:00', end: '08:00' }, when_capped: 'defer' },
};
const threeSends = [at('2026-05-01T10:00:00Z'), at('2026-05-02T10:00:00Z'), at('2026-05-03T10:00:00Z')];

describe('frequency caps', () => {
  it('sends while the window holds fewer messages than the cap', () => {
    const verdict = checkDelivery(capped('defer'), 'email', {
      sentAt: threeSends.slice(0, 2),
      now: at('2026-05-04T10:00:00Z'),
      timeZone: 'UTC',
    });
    expect(verdict).toEqual({ verdict: 'send' });
  });

  it('defers a capped message to when the oldest send leaves the window', () => {
    const verdict = checkDelivery(capped('defer'), 'email', {
      sentAt: threeSends,
      now: at('2026-05-04T10:00:00Z'),
      timeZone: 'UTC',
    });
    expect(verdict).toEqual({ verdict: 'defer', until: at('2026-05-08T10:00:00Z'), reason: 'capped' });
  });

  it('skips a capped message when the channel says skip', () => {
    const verdict = checkDelivery(capped('skip'), 'email', {
      sentAt: threeSends,
      now: at('2026-05-04T10:00:00Z'),
      timeZone: 'UTC',
    });
    expect(verdict).toEqual({ verdict: 'skip', reason: 'capped' });
  });

  it('no longer counts sends that left the window', () => {
    const verdict = checkDelivery(capped('skip'), 'email', {
      sentAt: threeSends,
      now: at('2026-05-08T10:00:00Z'),
      timeZone: 'UTC',
    });
    expect(verdict).toEqual({ verdict: 'send' });
  });

  it('counts only the channel asked about', () => {
    const verdict = checkDelivery(capped('skip'), 'sms', {
      sentAt: threeSends,
      now: at('2026-05-04T10:00:00Z'),
      timeZone: 'UTC',
    });
    expect(verdict).toEqual({ verdict: 'send' });
  });

  it('waits for every cap when several are reached', () => {
    const policy: DeliveryPolicy = {
      sms: {
        caps: [
          { max: 1, per: 'P1D' },
          { max: 2, per: 'P7D' },
        ],
        when_capped: 'defer',
      },
    };
    const verdict = checkDelivery(policy, 'sms', {
      sentAt: [at('2026-05-01T12:00:00Z'), at('2026-05-04T09:00:00Z')],
      now: at('2026-05-04T18:00:00Z'),
      timeZone: 'UTC',
    });
    // The daily cap frees up on the 5th, the weekly one only on the 8th.
    expect(verdict).toEqual({ verdict: 'defer', until: at('2026-05-08T12:00:00Z'), reason: 'capped' });
  });

  it('moves a deferral that lands in quiet hours to their end', () => {
    const policy: DeliveryPolicy = {
      email: {
        caps: [{ max: 1, per: 'P1D' }],
        quiet_hours: { start: '21:00', end: '08:00' },
        when_capped: 'defer',
      },
    };
    const verdict = checkDelivery(policy, 'email', {
      sentAt: [at('2026-05-01T22:30:00Z')],
      now: at('2026-05-02T07:00:00Z'),
      timeZone: 'UTC',
    });
    expect(verdict).toEqual({ verdict: 'defer', until: at('2026-05-03T08:00:00Z'), reason: 'capped' });
  });
});

describe('quiet hours that wrap midnight (21:00–08:00)', () => {
  const check = (iso: string, timeZone = 'UTC') =>
    checkDelivery(quiet, 'email', { sentAt: [], now: at(iso), timeZone });

  it('defers a message in the evening to the next morning', () => {
    expect(check('2026-05-04T22:30:00Z')).toEqual({
      verdict: 'defer',
      until: at('2026-05-05T08:00:00Z'),
      reason: 'quiet-hours',
    });
  });

  it('defers a message after midnight to the same morning', () => {
    expect(check('2026-05-05T03:00:00Z')).toEqual({
      verdict: 'defer',
      until: at('2026-05-05T08:00:00Z'),
      reason: 'quiet-hours',
    });
  });

  it('sends at the end of quiet hours and just before they start', () => {
    expect(check('2026-05-05T08:00:00Z')).toEqual({ verdict: 'send' });
    expect(check('2026-05-05T20:59:59Z')).toEqual({ verdict: 'send' });
  });

  it('reads the time in the contact’s time zone', () => {
    // 19:00 UTC is 21:00 in Berlin in summer.
    expect(check('2026-05-04T19:00:00Z', 'Europe/Berlin')).toEqual({
      verdict: 'defer',
      until: at('2026-05-05T06:00:00Z'),
      reason: 'quiet-hours',
    });
  });

  it('always defers for quiet hours, even when capped messages are skipped', () => {
    const policy: DeliveryPolicy = {
      email: { caps: [], quiet_hours: { start: '21:00', end: '08:00' }, when_capped: 'skip' },
    };
    expect(
      checkDelivery(policy, 'email', { sentAt: [], now: at('2026-05-04T23:00:00Z'), timeZone: 'UTC' }),
    ).toMatchObject({ verdict: 'defer', reason: 'quiet-hours' });
  });

  it('also handles quiet hours within one day', () => {
    const lunch: DeliveryPolicy = {
      email: { caps: [], quiet_hours: { start: '12:00', end: '14:00' }, when_capped: 'defer' },
    };
    const during = checkDelivery(lunch, 'email', {
      sentAt: [],
      now: at('2026-05-04T12:30:00Z'),
      timeZone: 'UTC',
    });
    const evening = checkDelivery(lunch, 'email', {
      sentAt: [],
      now: at('2026-05-04T22:00:00Z'),
      timeZone: 'UTC',
    });
    expect(during).toEqual({ verdict: 'defer', until: at('2026-05-04T14:00:00Z'), reason: 'quiet-hours' });
    expect(evening).toEqual({ verdict: 'send' });
  });
});

describe('quiet hours across DST changes', () => {
  const check = (iso: string, timeZone: string) =>
    checkDelivery(quiet, 'email', { sentAt: [], now: at(iso), timeZone });

  it('ends at 08:00 local in Berlin on the October night the clocks go back', () => {
    // 23:00 CEST on 24 October 2026; at 03:00 the clocks go back to 02:00 CET.
    expect(check('2026-10-24T21:00:00Z', 'Europe/Berlin')).toEqual({
      verdict: 'defer',
      until: at('2026-10-25T07:00:00Z'),
      reason: 'quiet-hours',
    });
  });

  it('ends at 08:00 local in Berlin on the March night the clocks go forward', () => {
    // 22:00 CET on 28 March 2026; at 02:00 the clocks go forward to 03:00 CEST.
    expect(check('2026-03-28T21:00:00Z', 'Europe/Berlin')).toEqual({
      verdict: 'defer',
      until: at('2026-03-29T06:00:00Z'),
      reason: 'quiet-hours',
    });
  });

  it('ends at 08:00 local in New York on the November night the clocks go back', () => {
    // 23:00 EDT on 31 October 2026; the clocks go back on 1 November.
    expect(check('2026-11-01T03:00:00Z', 'America/New_York')).toEqual({
      verdict: 'defer',
      until: at('2026-11-01T13:00:00Z'),
      reason: 'quiet-hours',
    });
  });

  it('ends at 08:00 local in New York on the March night the clocks go forward', () => {
    // 22:00 EST on 7 March 2026; the clocks go forward on 8 March.
    expect(check('2026-03-08T03:00:00Z', 'America/New_York')).toEqual({
      verdict: 'defer',
      until: at('2026-03-08T12:00:00Z'),
      reason: 'quiet-hours',
    });
  });

  it('counts the repeated hour as quiet in Berlin', () => {
    // 02:30 CET, the second time 02:30 happens that night.
    expect(check('2026-10-25T01:30:00Z', 'Europe/Berlin')).toEqual({
      verdict: 'defer',
      until: at('2026-10-25T07:00:00Z'),
      reason: 'quiet-hours',
    });
  });
});

describe('loading the policy', () => {
  it('reads the shipped delivery-policy.yaml with its defaults', async () => {
    const policy = loadDeliveryPolicy(await readFile(`${repoRoot}delivery-policy.yaml`, 'utf8'));
    expect(policy).toEqual({
      email: {
        caps: [{ max: 3, per: 'P7D' }],
        quiet_hours: { start: '21:00', end: '08:00' },
        when_capped: 'defer',
      },
      sms: {
        caps: [{ max: 1, per: 'P1D' }],
        quiet_hours: { start: '20:00', end: '09:00' },
        when_capped: 'defer',
      },
    });
  });

  it('defaults to deferring capped messages', () => {
    expect(loadDeliveryPolicy('email:\n  caps: [{ max: 2, per: P1D }]\n')).toEqual({
      email: { caps: [{ max: 2, per: 'P1D' }], when_capped: 'defer' },
    });
  });

  it.each([
    ['email:\n  caps: [{ max: 2, per: weekly }]\n', 'email.caps.0.per: must be an ISO 8601 duration'],
    ['email:\n  caps: [{ max: 0, per: P1D }]\n', 'email.caps.0.max'],
    ['sms:\n  quiet_hours: { start: "20:00", end: "9am" }\n', 'sms.quiet_hours.end: must be a time of day'],
    ['email:\n  quiet_hour: { start: "20:00", end: "09:00" }\n', 'email: Unrecognized key: "quiet_hour"'],
    ['fax:\n  caps: []\n', '(root): Unrecognized key: "fax"'],
    ['email:\n  when_capped: drop\n', 'email.when_capped'],
  ])('names the path and the problem in %j', (text, problem) => {
    expect(() => loadDeliveryPolicy(text)).toThrow(InvalidDeliveryPolicyError);
    expect(() => loadDeliveryPolicy(text)).toThrow(problem);
  });

  it('reports YAML that does not parse', () => {
    expect(() => loadDeliveryPolicy('email: [')).toThrow('delivery policy is not valid YAML');
  });
});

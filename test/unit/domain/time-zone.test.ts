import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../../../lib/domain/time-zone.js';

describe('a time zone', () => {
  it.each([
    'Europe/Berlin',
    'America/Argentina/Buenos_Aires',
    'US/Pacific',
    'Asia/Calcutta',
    'UTC',
    'Etc/GMT+1',
  ])('may be %s: a name Intl converts to, canonical or alias', (zone) => {
    expect(isTimeZone(zone)).toBe(true);
  });

  it.each(['Mars/Olympus', '', '+01:00', '-05:00', 'Europe/Berlin\n', 'undefined'])('is not %j', (zone) => {
    expect(isTimeZone(zone)).toBe(false);
  });
});

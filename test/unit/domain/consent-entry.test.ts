import { describe, expect, it } from 'vitest';
import { ConsentEntry } from '../../../lib/domain/consent-entry.js';

const entry = {
  id: '01J0000000000000000000000A',
  contactId: '01J0000000000000000000000B',
  at: '2026-03-01T09:00:00.000Z',
  channel: 'email',
  action: 'requested',
  topics: ['newsletter'],
  wordingVersion: 'signup-v1',
};

describe('when a consent comes from a signup form that sent a time zone', () => {
  it('records the zone with the rest of its source', () => {
    const parsed = ConsentEntry.parse({
      ...entry,
      source: { kind: 'signup-form', form: 'footer', ip: '192.0.2.1', timeZone: 'Europe/Berlin' },
    });

    expect(parsed.source).toEqual({
      kind: 'signup-form',
      form: 'footer',
      ip: '192.0.2.1',
      timeZone: 'Europe/Berlin',
    });
  });

  it('reads an entry written before zones were recorded', () => {
    expect(ConsentEntry.parse({ ...entry, source: { kind: 'signup-form' } }).source.timeZone).toBeUndefined();
  });
});

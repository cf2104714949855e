import { describe, expect, it } from 'vitest';
import { formatTimeline } from '../../../lib/cli/simulation-timeline.js';
import type { TimelineEntry } from '../../../lib/domain/simulate.js';

const send = { enrollmentId: 'o1', node: 'first', channel: 'email', template: 'digest-one' } as const;

describe('a simulation timeline in the terminal', () => {
  it('prints a table in the contact’s time zone, with what the reader got and why a send did not go', () => {
    const timeline: TimelineEntry[] = [
      { at: '2026-05-04T10:00:00.000Z', kind: 'entered', enrollmentId: 'o1', group: 'treatment' },
      { at: '2026-05-04T10:00:00.000Z', kind: 'sent', ...send, subject: 'Your digest' },
      {
        at: '2026-05-04T10:00:00.000Z',
        kind: 'waiting',
        enrollmentId: 'o1',
        node: 'pause',
        until: '2026-05-05T10:00:00.000Z',
      },
      { at: '2026-05-05T10:00:00.000Z', kind: 'skipped', ...send, reason: 'not-subscribed' },
      {
        at: '2026-05-05T10:00:00.000Z',
        kind: 'failed',
        enrollmentId: 'o1',
        node: 'first',
        reason: 'no template',
      },
    ];

    expect(formatTimeline(timeline, { timeZone: 'Europe/Berlin' }).toString().split('\n')).toEqual([
      'time                    kind     enrollment  what',
      '----------------------  -------  ----------  ---------------------------------------------',
      '2026-05-04 12:00 GMT+2  entered  o1',
      '2026-05-04 12:00 GMT+2  sent     o1          email digest-one (node first): "Your digest"',
      '2026-05-04 12:00 GMT+2  waiting  o1          at pause until 2026-05-05 12:00 GMT+2',
      '2026-05-05 12:00 GMT+2  skipped  o1          email digest-one (node first): not-subscribed',
      '2026-05-05 12:00 GMT+2  failed   o1          node first: no template',
    ]);
  });
});

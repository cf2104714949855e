import { describe, expect, it } from 'vitest';
import { streamRetries } from '../../../lib/config/timing.js';
import { countMarkAt, countMarkDays, mergeIncrements } from '../../../lib/domain/counter-increment.js';
import { deadLetterRetentionDays } from '../../../lib/domain/dead-letter.js';

const hour = 3_600;
const day = 24 * hour;

describe('when one write carries several increments', () => {
  it('writes each counter once with their sum, in the order first named, and leaves out what adds nothing', () => {
    expect(
      mergeIncrements([
        { scope: 'email', day: '2026-11-24', metric: 'open', by: 1 },
        { scope: 'journey:welcome', day: '2026-11-24', metric: 'open', by: 1 },
        { scope: 'email', day: '2026-11-24', metric: 'open', by: 2 },
        { scope: 'email', day: '2026-11-25', metric: 'open', by: 1 },
        { scope: 'journey:welcome', day: '2026-11-24', metric: 'goal-revenue-minor:treatment', by: 0 },
      ]),
    ).toEqual([
      { scope: 'email', day: '2026-11-24', metric: 'open', by: 3 },
      { scope: 'journey:welcome', day: '2026-11-24', metric: 'open', by: 1 },
      { scope: 'email', day: '2026-11-25', metric: 'open', by: 1 },
    ]);
  });
});

describe('how long a counted source is remembered', () => {
  // SNS retries a Lambda subscription 100,015 times over 23 days; Lambda retries an
  // asynchronous event for up to 6 hours; what still fails waits as a dead letter.
  const snsRedeliverySeconds = 23 * day;
  const lambdaAsyncSeconds = 6 * hour;

  it('outlasts the last time SNS can hand the same notification over again, a dead letter’s redrive included', () => {
    expect(countMarkDays * day).toBeGreaterThan(
      snsRedeliverySeconds + lambdaAsyncSeconds + deadLetterRetentionDays * day,
    );
  });

  it('outlasts the last time a stream record can come again, a dead letter’s redrive included', () => {
    expect(countMarkDays * day).toBeGreaterThan(
      streamRetries.maxRecordAgeSeconds + deadLetterRetentionDays * day,
    );
  });

  it('expires the mark that many days after the source was counted', () => {
    expect(countMarkAt('ses#abc', new Date('2026-11-24T00:00:00.000Z'))).toEqual({
      id: 'ses#abc',
      expiresAt: Date.parse('2026-11-24T00:00:00.000Z') / 1000 + countMarkDays * day,
    });
  });
});

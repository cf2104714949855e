import { describe, expect, it } from 'vitest';
import type { FunctionSpec } from '../../../infra/topology.js';
import { topology } from '../../../infra/topology.js';
import { streamRetries, timing } from '../../../lib/config/timing.js';
import { conditionBudgetMs } from '../../../lib/domain/conditions.js';
import { renderTimeLimitMs } from '../../../lib/templates/render-limits.js';

const ms = (seconds: number): number => seconds * 1_000;

const entry = (name: string): FunctionSpec => {
  const spec = topology.find((candidate) => candidate.name === name);
  if (spec === undefined) throw new Error(`no topology entry ${name}`);
  return spec;
};

describe('when deliver claims messages', () => {
  const { claimLeaseMs, maxClaimWaitMs, batchSize, timeoutSeconds } = timing.deliver;

  it('waits long enough for any abandoned claim to lapse', () => {
    expect(claimLeaseMs).toBeLessThanOrEqual(maxClaimWaitMs);
  });

  it('fits its worst batch in its timeout: one abandoned claim waited out, then every send taking its lease', () => {
    expect(maxClaimWaitMs + batchSize * claimLeaseMs).toBeLessThan(ms(timeoutSeconds));
  });

  it('leases a claim for longer than a send may wait for the rate, with ten seconds left for the call', () => {
    expect(timing.deliver.sendWaitMs + 10_000).toBeLessThanOrEqual(claimLeaseMs);
  });

  it('leases a claim for longer than rendering may take', () => {
    expect(renderTimeLimitMs).toBeLessThan(claimLeaseMs);
  });
});

describe('when journeys evaluate conditions', () => {
  it('fits a batch in which every record hits one journey’s condition budget', () => {
    expect(timing.journeys.batchSize * conditionBudgetMs).toBeLessThan(ms(timing.journeys.timeoutSeconds));
  });
});

describe('when the journeys function handles a batch', () => {
  it('takes some contacts at once, and never more than a full batch holds', () => {
    expect(timing.journeys.contactsAtOnce).toBeGreaterThanOrEqual(1);
    expect(timing.journeys.contactsAtOnce).toBeLessThanOrEqual(timing.journeys.batchSize);
  });
});

describe('when a stream record keeps failing', () => {
  it.each([
    ['deliver', timing.deliver.timeoutSeconds],
    ['journeys', timing.journeys.timeoutSeconds],
    ['publish-events', timing.publishEvents.timeoutSeconds],
  ])('%s gets every retry before the record is too old', (_name, timeoutSeconds) => {
    expect((streamRetries.retryAttempts + 1) * timeoutSeconds).toBeLessThanOrEqual(
      streamRetries.maxRecordAgeSeconds,
    );
  });
});

describe('when the tick drains the timer wheel', () => {
  const { tick } = timing;

  it('keeps its reserve inside its timeout, and ends before the next run', () => {
    expect(tick.reserveMs).toBeLessThan(ms(tick.timeoutSeconds));
    expect(tick.timeoutSeconds).toBeLessThanOrEqual(tick.everyMinutes * 60);
  });

  // A writer reads the clock, then files the timer; the cursor must not pass that minute in between.
  it.each([
    ['journeys (a record)', ms(timing.journeys.timeoutSeconds)],
    [
      'deliver (a deferral: one record’s wait and send)',
      timing.deliver.maxClaimWaitMs + timing.deliver.claimLeaseMs,
    ],
    ['journey-jobs (a date backfill’s run)', ms(timing.journeyJobs.timeoutSeconds)],
  ])('settles a minute longer than %s can take to file a timer', (_writer, spanMs) => {
    expect(ms(tick.settleSeconds)).toBeGreaterThanOrEqual(spanMs + 60_000);
  });
});

describe('when scheduled jobs run against their time budget', () => {
  it.each([
    ['journey-jobs', timing.journeyJobs],
    ['customer-value', timing.customerValue],
  ])('%s keeps its reserve inside its timeout', (_name, schedule) => {
    expect(schedule.reserveMs).toBeLessThan(ms(schedule.timeoutSeconds));
  });

  it('ends a customer-value run before the next day’s', () => {
    expect(timing.customerValue.timeoutSeconds).toBeLessThanOrEqual(timing.customerValue.everyMinutes * 60);
  });

  it('runs journey-jobs once a minute, so the fan-out cap per run is a cap per minute', () => {
    expect(timing.journeyJobs.everyMinutes).toBe(1);
  });

  it('stops pacing a campaign before the next journey-jobs run starts, with the reserve still inside the timeout', () => {
    const { paceWindowMs, everyMinutes, reserveMs, timeoutSeconds } = timing.journeyJobs;
    expect(paceWindowMs).toBeLessThan(everyMinutes * 60_000);
    expect(paceWindowMs + reserveMs).toBeLessThanOrEqual(ms(timeoutSeconds));
  });
});

describe('when a bus event fails on our side', () => {
  it('fits every try and the pauses between them in the function’s timeout', () => {
    const { retryDelaysMs, attemptAllowanceMs, timeoutSeconds } = timing.ingestBus;
    const pauses = retryDelaysMs.reduce((sum, delay) => sum + delay, 0);
    const tries = retryDelaysMs.length + 1;

    expect(pauses + tries * attemptAllowanceMs).toBeLessThanOrEqual(ms(timeoutSeconds));
  });
});

describe('when the link-signing keys are rotated', () => {
  it('re-reads them on every warm instance before the next step of the rotation', () => {
    expect(timing.settings.tokenKeysMaxAgeMs).toBeLessThan(timing.settings.keyRotationStepMs);
  });
});

describe('the topology', () => {
  it('takes the timeouts, batch sizes and schedules that depend on each other from the timing', () => {
    const stream = (name: string) => {
      const { trigger } = entry(name);
      return trigger.kind === 'table-stream'
        ? {
            batchSize: trigger.batchSize,
            retryAttempts: trigger.retryAttempts,
            maxRecordAgeSeconds: trigger.maxRecordAgeSeconds,
          }
        : undefined;
    };
    const schedule = (name: string) => {
      const { trigger } = entry(name);
      return trigger.kind === 'schedule'
        ? { everyMinutes: trigger.everyMinutes, localEverySeconds: trigger.localEverySeconds }
        : undefined;
    };

    expect(entry('deliver').timeoutSeconds).toBe(timing.deliver.timeoutSeconds);
    expect(stream('deliver')).toEqual({ batchSize: timing.deliver.batchSize, ...streamRetries });
    expect(entry('journeys').timeoutSeconds).toBe(timing.journeys.timeoutSeconds);
    expect(stream('journeys')).toEqual({ batchSize: timing.journeys.batchSize, ...streamRetries });
    expect(entry('publish-events').timeoutSeconds).toBe(timing.publishEvents.timeoutSeconds);
    expect(stream('publish-events')).toEqual({ batchSize: timing.publishEvents.batchSize, ...streamRetries });
    expect(entry('ingest-bus').timeoutSeconds).toBe(timing.ingestBus.timeoutSeconds);
    for (const [name, expected] of [
      ['tick', timing.tick],
      ['journey-jobs', timing.journeyJobs],
      ['customer-value', timing.customerValue],
    ] as const) {
      expect(entry(name).timeoutSeconds).toBe(expected.timeoutSeconds);
      expect(schedule(name)).toEqual({
        everyMinutes: expected.everyMinutes,
        localEverySeconds: expected.localEverySeconds,
      });
    }
  });
});

describe('when dead letters are redriven and taken in', () => {
  const { redriveBudgetMs, intakeBudgetMs, intakeEveryMinutes } = timing.deadLetters;

  it('answers a redrive of all of them inside the admin function’s timeout', () => {
    expect(redriveBudgetMs).toBeLessThan(ms(entry('admin-dead-letters').timeoutSeconds));
  });

  it('ends an intake run before its timeout, and before the next run starts', () => {
    expect(intakeBudgetMs).toBeLessThan(ms(entry('dead-letter-intake').timeoutSeconds));
    expect(ms(entry('dead-letter-intake').timeoutSeconds)).toBeLessThan(intakeEveryMinutes * 60_000);
  });

  it('reads a failed stream batch back long before the stream drops it (24 hours)', () => {
    const latestFailure = ms(streamRetries.maxRecordAgeSeconds);
    expect(latestFailure + intakeEveryMinutes * 60_000).toBeLessThan(24 * 3_600_000);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LocalFunction } from '../../../infra/local/lambda-invoke.js';
import { createLocalScheduler, type LocalScheduler } from '../../../infra/local/scheduler.js';

const fnThat = (handler: LocalFunction['handler']): LocalFunction => ({
  functionName: 'tick',
  memoryMb: 128,
  timeoutSeconds: 5,
  handler,
});

let scheduler: LocalScheduler | undefined;

afterEach(async () => {
  await scheduler?.stop();
  vi.useRealTimers();
});

describe('the local scheduler', () => {
  it('invokes a schedule function with an EventBridge scheduled event', async () => {
    const events: unknown[] = [];
    scheduler = createLocalScheduler({
      functions: [{ fn: fnThat(async (event) => events.push(event)), everySeconds: 60 }],
      region: 'us-east-1',
    });

    await scheduler.runOnce();

    expect(events).toEqual([
      expect.objectContaining({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }),
    ]);
  });

  it('runs on its rate once started, and stops when stopped', async () => {
    vi.useFakeTimers();
    let runs = 0;
    scheduler = createLocalScheduler({
      functions: [
        {
          fn: fnThat(async () => {
            runs += 1;
          }),
          everySeconds: 2,
        },
      ],
      region: 'us-east-1',
    });
    scheduler.start();

    await vi.advanceTimersByTimeAsync(6_100);
    expect(runs).toBe(3);

    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(3);
  });

  it('skips a beat while the previous run is still going, so runs never pile up', async () => {
    vi.useFakeTimers();
    let running = 0;
    let most = 0;
    let runs = 0;
    scheduler = createLocalScheduler({
      functions: [
        {
          fn: fnThat(async () => {
            running += 1;
            most = Math.max(most, running);
            await new Promise((resolve) => setTimeout(resolve, 5_000));
            running -= 1;
            runs += 1;
          }),
          everySeconds: 1,
        },
      ],
      region: 'us-east-1',
    });
    scheduler.start();

    await vi.advanceTimersByTimeAsync(12_500);

    expect(most).toBe(1);
    expect(runs).toBe(2);
  });

  it('reports a failed run to whoever asked for it, and keeps its count', async () => {
    scheduler = createLocalScheduler({
      functions: [
        {
          fn: fnThat(async () => {
            throw new Error('table unreachable');
          }),
          everySeconds: 60,
        },
      ],
      region: 'us-east-1',
    });

    await expect(scheduler.runOnce()).rejects.toThrow('table unreachable');
    expect(scheduler.status()).toEqual([
      expect.objectContaining({
        functionName: 'tick',
        runs: 1,
        failures: 1,
        lastError: 'Error: table unreachable',
      }),
    ]);
  });

  it('logs a failed periodic run instead of crashing the runtime', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    scheduler = createLocalScheduler({
      functions: [
        {
          fn: fnThat(async () => {
            throw new Error('boom');
          }),
          everySeconds: 1,
        },
      ],
      region: 'us-east-1',
      log: (line) => lines.push(line),
    });
    scheduler.start();

    await vi.advanceTimersByTimeAsync(1_100);

    expect(lines).toEqual(['tick (scheduled run) failed: Error: boom']);
  });
});

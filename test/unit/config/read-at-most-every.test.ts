import { describe, expect, it } from 'vitest';
import { readAtMostEvery } from '../../../lib/config/read-at-most-every.js';

const clockAt = (start: number) => {
  let at = start;
  return { now: () => new Date(at), advance: (ms: number) => (at += ms) };
};

describe('when a read that was replaced by a newer one fails', () => {
  it('keeps the newer read', async () => {
    const clock = clockAt(0);
    const pending: Array<{ resolve: (value: string) => void; reject: (error: Error) => void }> = [];
    let reads = 0;
    const read = readAtMostEvery(
      1_000,
      () => {
        reads += 1;
        if (reads > 2) return Promise.resolve(`read ${reads}`);
        return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
      },
      clock,
    );

    const slow = read();
    clock.advance(1_000);
    const fresh = read();
    pending[1]?.resolve('fresh');
    pending[0]?.reject(new Error('timed out'));
    await expect(slow).rejects.toThrow('timed out');
    await expect(fresh).resolves.toBe('fresh');

    await expect(read()).resolves.toBe('fresh');
    expect(reads).toBe(2);
  });
});

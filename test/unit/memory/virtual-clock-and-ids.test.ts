import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { SeededIdGenerator } from '../../../lib/adapters/memory/seeded-id-generator.js';
import { SeededSecretGenerator } from '../../../lib/adapters/memory/seeded-secret-generator.js';
import { VirtualClock } from '../../../lib/adapters/memory/virtual-clock.js';
import { apiKeyPrefix } from '../../../lib/domain/api-key.js';

describe('the virtual clock', () => {
  it('moves only when told: sleeping moves it on at once, and it can be set anywhere', async () => {
    const clock = new VirtualClock('2026-11-23T12:00:00.000Z');
    await clock.sleep(90_000);
    expect(clock.now().toISOString()).toBe('2026-11-23T12:01:30.000Z');
    clock.advance(1_000);
    expect(clock.now().toISOString()).toBe('2026-11-23T12:01:31.000Z');
    clock.set('2026-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('hands out dates a caller may change without moving the clock', () => {
    const clock = new VirtualClock('2026-11-23T12:00:00.000Z');
    clock.now().setUTCFullYear(1999);
    expect(clock.now().toISOString()).toBe('2026-11-23T12:00:00.000Z');
  });

  it('refuses a time that is none, and moving backwards by a negative step', () => {
    expect(() => new VirtualClock('not a time')).toThrow(RangeError);
    const clock = new VirtualClock('2026-11-23T12:00:00.000Z');
    expect(() => clock.set('nope')).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});

describe('seeded ids', () => {
  it('make the same ids for the same seed and steps, others for another seed, with the clock’s time', () => {
    const run = (seed: number) => {
      const clock = new VirtualClock('2026-11-23T12:00:00.000Z');
      const ids = new SeededIdGenerator(clock, seed);
      const made = [ids.next(), ids.next()];
      clock.advance(60_000);
      made.push(ids.next());
      return made;
    };

    expect(run(1)).toEqual(run(1));
    expect(run(2)).not.toEqual(run(1));
    const [first, , third] = run(1);
    expect(decodeTime(first ?? '')).toBe(Date.parse('2026-11-23T12:00:00.000Z'));
    expect(decodeTime(third ?? '')).toBe(Date.parse('2026-11-23T12:01:00.000Z'));
  });

  it('keep sorting in the order made when the clock is set back', () => {
    const clock = new VirtualClock('2026-11-23T12:00:00.000Z');
    const ids = new SeededIdGenerator(clock);
    const before = ids.next();
    clock.set('2026-11-01T00:00:00.000Z');
    expect(ids.next() > before).toBe(true);
  });

  it('make API keys of the real shape, repeatably', () => {
    const secret = new SeededSecretGenerator(3).secret();
    expect(secret).toMatch(new RegExp(`^${apiKeyPrefix}[A-Za-z0-9_-]{43}$`));
    expect(new SeededSecretGenerator(3).secret()).toBe(secret);
    expect(new SeededSecretGenerator(4).secret()).not.toBe(secret);
  });
});

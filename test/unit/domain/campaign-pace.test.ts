import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextPacedSlot, type Pace, paceLapseMs, sendSlot } from '../../../lib/domain/campaign-plan.js';

const at = (iso: string) => new Date(iso);

/**
 * A sender that asks for each member's slot at `now`, writes it when due and
 * otherwise waits for it (now := slot), as the campaign-send job does.
 */
const sendAll = (starts: readonly Date[], rate: number, begin: Date, delays: readonly number[] = []) => {
  let now = begin;
  let pace: Pace | undefined;
  const slots: Date[] = [];
  starts.forEach((start, index) => {
    // A late run: the sender comes back this much after it could have.
    now = new Date(now.getTime() + (delays[index] ?? 0));
    let next = nextPacedSlot(pace, start, now, rate);
    if (next.slot > now) {
      now = next.slot;
      next = nextPacedSlot(next.pace, start, now, rate);
    }
    slots.push(next.slot);
    pace = { from: next.pace.from, index: next.pace.index + 1 };
  });
  return slots;
};

describe('when a send is paced', () => {
  it('gives slot i at start + floor(i / rate) seconds while it keeps up', () => {
    const start = at('2026-12-05T09:00:00.000Z');
    const slots = sendAll(Array(30).fill(start), 7, start);
    expect(slots).toEqual(Array.from({ length: 30 }, (_, index) => sendSlot(start, index, 7)));
  });

  it('begins a pace on the whole second after a start within a second', () => {
    const launched = at('2026-12-05T09:00:00.250Z');
    expect(sendAll([launched, launched], 1, launched).map((slot) => slot.toISOString())).toEqual([
      '2026-12-05T09:00:01.000Z',
      '2026-12-05T09:00:02.000Z',
    ]);
    // A later start half a second into a second the pace before it used: the new pace waits for the next.
    const first = at('2026-12-05T09:00:00.000Z');
    const half = at('2026-12-05T09:00:01.500Z');
    expect(sendAll([first, first, first, half, half], 2, first).map((slot) => slot.toISOString())).toEqual([
      '2026-12-05T09:00:00.000Z',
      '2026-12-05T09:00:00.000Z',
      '2026-12-05T09:00:01.000Z',
      '2026-12-05T09:00:02.000Z',
      '2026-12-05T09:00:02.000Z',
    ]);
  });

  it('starts a later start’s members at their own start, not before', () => {
    const berlin = at('2026-12-05T09:00:00.000Z');
    const london = at('2026-12-05T10:00:00.000Z');
    const slots = sendAll([berlin, berlin, london, london], 1, at('2026-12-05T08:00:00.000Z'));
    expect(slots.map((slot) => slot.toISOString())).toEqual([
      '2026-12-05T09:00:00.000Z',
      '2026-12-05T09:00:01.000Z',
      '2026-12-05T10:00:00.000Z',
      '2026-12-05T10:00:01.000Z',
    ]);
  });

  it('starts again at the current second after a lapse, instead of sending the missed slots at once', () => {
    const start = at('2026-12-05T09:00:00.000Z');
    const late = { from: start, index: 3 };
    const now = at('2026-12-05T09:05:00.400Z');
    expect(nextPacedSlot(late, start, now, 2)).toEqual({
      slot: at('2026-12-05T09:05:00.000Z'),
      pace: { from: at('2026-12-05T09:05:00.000Z'), index: 0 },
    });
    // A slot less than the lapse behind is still sent at once: the run is only a moment late.
    const moment = new Date(sendSlot(start, 3, 2).getTime() + paceLapseMs - 1);
    expect(nextPacedSlot(late, start, moment, 2).slot).toEqual(sendSlot(start, 3, 2));
  });

  it('never puts more than `rate` messages in one second, nor one before its start, whatever the runs’ delays', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 8_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 3_000 })), {
          minLength: 1,
          maxLength: 60,
        }),
        (rate, startOffsets, delays) => {
          const base = at('2026-12-05T09:00:00.000Z').getTime();
          const sortedStarts = [...startOffsets]
            .sort((a, b) => a - b)
            .map((offset) => new Date(base + offset));
          const starts = delays.map(
            (_, index) =>
              sortedStarts[Math.floor((index * sortedStarts.length) / delays.length)] ?? new Date(base),
          );
          const slots = sendAll(starts, rate, new Date(base - 10_000), delays);
          const perSecond = new Map<number, number>();
          slots.forEach((slot, index) => {
            expect(slot.getTime()).toBeGreaterThanOrEqual(starts[index]?.getTime() ?? 0);
            const second = Math.floor(slot.getTime() / 1000);
            perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
          });
          for (const count of perSecond.values()) expect(count).toBeLessThanOrEqual(rate);
        },
      ),
    );
  });
});

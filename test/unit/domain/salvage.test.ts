import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { salvage } from '../../../lib/domain/salvage.js';

const Owned = z.object({ sku: z.string(), dueAt: z.iso.date().optional() });
const Card = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  counts: z.record(z.string(), z.number()),
  owned: z.array(Owned),
  tier: z.object({ name: z.string(), since: z.iso.datetime() }).optional(),
});

const sound = {
  id: 'c1',
  createdAt: '2026-01-01T00:00:00Z',
  counts: { books: 2 },
  owned: [{ sku: 'a', dueAt: '2026-07-01' }],
};

describe('salvaging a stored value that no longer fits its schema', () => {
  it('reads a sound value as it is', () => {
    expect(salvage(Card, sound)).toEqual({ ok: true, value: sound, dropped: [], problems: [] });
  });

  it('drops an optional field that holds nonsense and keeps the rest', () => {
    const read = salvage(Card, { ...sound, owned: [{ sku: 'a', dueAt: '+010000-06' }] });
    expect(read).toMatchObject({ ok: true, value: { owned: [{ sku: 'a' }] }, dropped: ['owned.0.dueAt'] });
  });

  it('drops a bad entry of a list or a record', () => {
    const read = salvage(Card, { ...sound, counts: { books: 2, constructor: 'x1' }, owned: [{ dueAt: 3 }] });
    expect(read).toMatchObject({ ok: true, value: { counts: { books: 2 }, owned: [] } });
  });

  it('drops an optional parent when a required field inside it is broken', () => {
    const read = salvage(Card, { ...sound, tier: { name: 'vip', since: 'yesterday' } });
    expect(read).toMatchObject({ ok: true, dropped: ['tier'] });
    expect(read.ok && read.value.tier).toBeUndefined();
  });

  it('gives up, naming the problems, when a required field is broken', () => {
    const read = salvage(Card, { ...sound, createdAt: 'not a date' });
    expect(read).toEqual({ ok: false, problems: [expect.stringContaining('createdAt')] });
  });

  it('never changes the value it was given', () => {
    const stored = { ...sound, owned: [{ sku: 'a', dueAt: 'bad' }] };
    const before = structuredClone(stored);
    salvage(Card, stored);
    expect(stored).toEqual(before);
  });
});

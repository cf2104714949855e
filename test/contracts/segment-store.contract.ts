import { beforeEach, describe, expect, it } from 'vitest';
import type { SegmentDefinition } from '../../lib/domain/audience-segment.js';
import { ConcurrentUpdateError, ConflictError } from '../../lib/domain/errors.js';
import type { ContractStores, MakeStores } from './stores.js';

const created = new Date('2026-11-20T09:00:00.000Z');
const later = new Date('2026-11-21T09:00:00.000Z');

const aSegment = (overrides: Partial<SegmentDefinition> = {}): SegmentDefinition => ({
  id: 'crime-readers',
  name: 'Crime readers',
  condition: { 'contact.customer.categoryLastPurchasedAt.books/crime': { $within: '-P180D' } },
  live: false,
  ...overrides,
});

/** SegmentStore: created once, replaced only over the version read, listed by id, deleted. */
export const segmentStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('creates a segment at version 1 and reads it back as saved, dotted and $ keys included', async () => {
      const segment = aSegment({ description: 'Bought crime in the last half year' });
      const saved = await stores.segments.put(segment, created);

      expect(saved).toEqual({
        ...segment,
        createdAt: created.toISOString(),
        updatedAt: created.toISOString(),
        version: 1,
      });
      expect(await stores.segments.get(segment.id)).toEqual(saved);
      expect(await stores.segments.get('no-such-segment')).toBeUndefined();
    });

    it('refuses to create a segment that exists, keeping the first', async () => {
      const first = await stores.segments.put(aSegment(), created);

      await expect(stores.segments.put(aSegment({ name: 'Copy' }), later)).rejects.toBeInstanceOf(
        ConflictError,
      );
      expect(await stores.segments.get(first.id)).toEqual(first);
    });

    it('replaces a segment over the version read, keeping when it was created', async () => {
      await stores.segments.put(aSegment(), created);

      const replaced = await stores.segments.put(aSegment({ name: 'Crime fans', live: true }), later, 1);

      expect(replaced).toMatchObject({
        name: 'Crime fans',
        live: true,
        version: 2,
        createdAt: created.toISOString(),
        updatedAt: later.toISOString(),
      });
      expect(await stores.segments.get('crime-readers')).toEqual(replaced);
    });

    it('refuses a replacement over a stale version or a segment that is gone', async () => {
      await stores.segments.put(aSegment(), created);
      await stores.segments.put(aSegment({ name: 'Second' }), later, 1);

      await expect(stores.segments.put(aSegment({ name: 'Stale' }), later, 1)).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );
      await expect(stores.segments.put(aSegment({ id: 'never-made' }), later, 1)).rejects.toBeInstanceOf(
        ConcurrentUpdateError,
      );
      expect(await stores.segments.get('crime-readers')).toMatchObject({ name: 'Second', version: 2 });
      expect(await stores.segments.get('never-made')).toBeUndefined();
    });

    it('lists every segment by id, and only the live ones as live', async () => {
      await stores.segments.put(aSegment({ id: 'b-live', live: true }), created);
      await stores.segments.put(aSegment({ id: 'a-static' }), created);
      await stores.segments.put(aSegment({ id: 'c-live', live: true }), created);

      expect((await stores.segments.list()).map((segment) => segment.id)).toEqual([
        'a-static',
        'b-live',
        'c-live',
      ]);
      expect((await stores.segments.live()).map((segment) => segment.id)).toEqual(['b-live', 'c-live']);
    });

    it('deletes a segment once, answering whether there was one', async () => {
      await stores.segments.put(aSegment(), created);

      expect(await stores.segments.delete('crime-readers')).toBe(true);
      expect(await stores.segments.delete('crime-readers')).toBe(false);
      expect(await stores.segments.get('crime-readers')).toBeUndefined();
      expect(await stores.segments.list()).toEqual([]);
    });
  });

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { type ManageSegmentsDeps, putSegment, validateSegment } from '../../../lib/app/manage-segments.js';
import { segmentConditionLimits } from '../../../lib/domain/segment-condition.js';
import { fieldsOf } from './support/admin.js';
import { aWorld } from './support/worlds.js';

let world: MemoryWorld;
let deps: ManageSegmentsDeps;

beforeEach(() => {
  world = aWorld('2026-12-01T12:00:00.000Z');
  deps = {
    segments: world.segments,
    contacts: world.contacts,
    jobs: world.jobs,
    ids: world.ids,
    clock: world.clock,
  };
});

/** `{ $and: [ { $and: [ … { contact.name: 'Ann' } ] } ] }`, built without recursion. */
const nestedAnd = (levels: number): Record<string, unknown> => {
  let condition: Record<string, unknown> = { 'contact.name': 'Ann' };
  for (let level = 0; level < levels; level += 1) condition = { $and: [condition] };
  return condition;
};

describe('when a segment condition nests deeper than the limit', () => {
  it('is refused naming the condition, even 100,000 levels deep, and nothing is stored', async () => {
    const validation = validateSegment({ id: 'deep', name: 'Deep', condition: nestedAnd(100_000) });

    expect(validation.valid).toBe(false);
    expect(validation.problems).toEqual([
      {
        path: 'condition',
        message: expect.stringContaining(`deeper than ${segmentConditionLimits.depth} levels`),
      },
    ]);
    expect(
      await fieldsOf(putSegment(deps, 'deep', { name: 'Deep', condition: nestedAnd(5_000) })),
    ).toHaveProperty('condition');
    expect(await world.segments.list()).toEqual([]);
  });

  it('takes one within it', () => {
    expect(validateSegment({ id: 'nested', name: 'Nested', condition: nestedAnd(5) }).valid).toBe(true);
  });
});

describe('when a segment condition is larger than the limit', () => {
  it('is refused naming its size', () => {
    const names = Array.from(
      { length: 1_000 },
      (_, index) => `someone-with-a-long-name-${index}@example.com`,
    );
    const validation = validateSegment({
      id: 'big',
      name: 'Big',
      condition: { 'contact.email': { $in: names } },
    });

    expect(validation.problems).toEqual([
      {
        path: 'condition',
        message: expect.stringContaining(`at most ${segmentConditionLimits.bytes / 1024} KiB`),
      },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { JourneyDefinition, StoredJourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { journeyLimits, nestingDepth } from '../../../lib/domain/journey-limits.js';

const welcome = (nodes: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'welcome',
  name: 'Welcome',
  trigger: { event: 'signup_confirmed' },
  start: 'first',
  nodes,
  ...extra,
});

const problemsOf = (raw: unknown) => {
  const parsed = JourneyDefinition.safeParse(raw);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
};

const nestedAnd = (levels: number): Record<string, unknown> =>
  levels === 0 ? { 'contact.topics': 'newsletter' } : { $and: [nestedAnd(levels - 1)] };

describe('when a journey waits longer than can be scheduled', () => {
  it('refuses a wait of P999999999Y, naming the node, though the duration is well-formed', () => {
    const raw = welcome([
      { id: 'first', type: 'wait', duration: 'P999999999Y', next: 'done' },
      { id: 'done', type: 'exit' },
    ]);
    expect(problemsOf(raw)).toEqual([{ path: 'nodes.0.duration', message: 'must be at most P20Y' }]);
  });

  it('refuses offsets, timeouts, cooldowns and goal windows past P20Y, and waits of nothing', () => {
    const raw = welcome(
      [
        {
          id: 'first',
          type: 'wait',
          until: { date: 'contact.attributes.birthday', offset: '-P21Y' },
          next: 'ask',
        },
        {
          id: 'ask',
          type: 'wait_for_event',
          event: 'order_completed',
          timeout: 'PT0S',
          next: 'done',
          timeout_next: 'done',
        },
        { id: 'done', type: 'exit' },
      ],
      { entry: { reentry: { cooldown: 'P100Y' } }, goal: { event: 'order_completed', within: 'P9999Y' } },
    );
    expect(problemsOf(raw).map((problem) => problem.path)).toEqual([
      'entry.reentry.cooldown',
      'goal.within',
      'nodes.0.until.offset',
      'nodes.1.timeout',
    ]);
  });

  it('still reads a stored version published before the limit, so its enrollments can finish', () => {
    const raw = welcome([
      { id: 'first', type: 'wait', duration: 'P30Y', next: 'done' },
      { id: 'done', type: 'exit' },
    ]);
    expect(StoredJourneyDefinition.safeParse(raw).success).toBe(true);
  });
});

describe('when a journey is larger or deeper than a version can hold', () => {
  it(`refuses a condition nested past ${journeyLimits.conditionDepth} levels (15 $and)`, () => {
    const raw = welcome([
      { id: 'first', type: 'branch', branches: [{ condition: nestedAnd(15), next: 'done' }], else: 'done' },
      { id: 'done', type: 'exit' },
    ]);
    expect(problemsOf(raw)).toContainEqual({
      path: 'nodes.0.branches.0.condition',
      message: expect.stringContaining('nests deeper than 12 levels'),
    });
  });

  it('refuses a condition nested 1,000 levels deep without overflowing the stack', () => {
    const raw = welcome([
      {
        id: 'first',
        type: 'branch',
        branches: [{ condition: nestedAnd(1_000), next: 'done' }],
        else: 'done',
      },
      { id: 'done', type: 'exit' },
    ]);
    expect(problemsOf(raw)).toContainEqual({
      path: 'nodes.0.branches.0.condition',
      message: expect.stringContaining('nests deeper than 12 levels'),
    });
  });

  it(`refuses more than ${journeyLimits.nodes} nodes (a 10,000-node definition)`, () => {
    const nodes = Array.from({ length: 10_000 }, (_, index) => ({
      id: index === 0 ? 'first' : `n${index}`,
      type: 'emit_event',
      detail_type: 'Step',
      ...(index < 9_999 ? { next: `n${index + 1}` } : {}),
    }));
    const problems = problemsOf(welcome(nodes));
    expect(problems).toContainEqual({ path: 'nodes', message: expect.stringContaining('at most 200') });
    expect(problems).toContainEqual({ path: '', message: expect.stringContaining('at most 128 KB') });
  });

  it('takes a journey at the limits', () => {
    const nodes = Array.from({ length: journeyLimits.nodes }, (_, index) => ({
      id: index === 0 ? 'first' : `n${index}`,
      type: 'emit_event',
      detail_type: 'Step',
      ...(index < journeyLimits.nodes - 1 ? { next: `n${index + 1}` } : {}),
    }));
    expect(problemsOf(welcome(nodes))).toEqual([]);
  });

  it('refuses values nested past 24 levels anywhere in the definition', () => {
    let detail: Record<string, unknown> = { leaf: 1 };
    for (let level = 0; level < 30; level += 1) detail = { inner: detail };
    const raw = welcome([{ id: 'first', type: 'emit_event', detail_type: 'Deep', detail }]);
    expect(problemsOf(raw)).toEqual([
      { path: '', message: expect.stringContaining('nests deeper than 24 levels') },
    ]);
  });
});

describe('measuring how deep a value nests', () => {
  it('counts objects and lists, not scalars', () => {
    expect(nestingDepth('x')).toBe(0);
    expect(nestingDepth({ a: 1 })).toBe(1);
    expect(nestingDepth({ a: [{ b: 1 }] })).toBe(3);
  });

  it('measures 100,000 levels without recursion', () => {
    let deep: unknown = [];
    for (let level = 1; level < 100_000; level += 1) deep = [deep];
    expect(nestingDepth(deep)).toBe(100_000);
  });
});

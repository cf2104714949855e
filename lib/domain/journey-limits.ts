import type { Condition } from './conditions.js';
import { durationRangeProblem } from './durations.js';
import type { JourneyNode, JourneyTrigger, ReentryRule } from './journey-definition.js';

/**
 * What a journey may hold to be published. The first three keep a definition
 * well inside one DynamoDB item (400 KB, 32 levels of nesting, with room for
 * the version's own attributes around it); the node count bounds how long a
 * simulation or a validation takes; a condition's depth bounds how deep its
 * evaluation recurses.
 */
export const journeyLimits = {
  nodes: 200,
  definitionBytes: 128 * 1024,
  /** Levels of objects and lists in the whole definition, the definition itself being one. */
  depth: 24,
  /** Levels inside one condition: `{ "$and": [ { … } ] }` is two for the `$and` and its list. */
  conditionDepth: 12,
} as const;

export interface LimitProblem {
  path: Array<string | number>;
  message: string;
}

/**
 * How deeply `value` nests objects and lists (a scalar is 0), counted without
 * recursion so that a value nested 100,000 levels deep cannot overflow the
 * stack; it stops counting past `stopAfter`.
 */
export const nestingDepth = (value: unknown, stopAfter = Number.POSITIVE_INFINITY): number => {
  let deepest = 0;
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    deepest = Math.max(deepest, next.depth);
    if (deepest > stopAfter) return deepest;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return deepest;
};

/** The parts of a definition the limits look at; the full schema's output has them all. */
export interface LimitedDefinition {
  trigger: JourneyTrigger;
  entry: { reentry: ReentryRule; condition?: Condition | undefined };
  exit_when: ReadonlyArray<{ condition?: Condition | undefined }>;
  goal?: { condition?: Condition | undefined; within: string } | undefined;
  nodes: readonly JourneyNode[];
}

/** Every condition in the definition with its path, so a problem is reported where it is. */
export const conditionsOf = (
  definition: LimitedDefinition,
): Array<{ path: Array<string | number>; condition: Condition }> => {
  const found: Array<{ path: Array<string | number>; condition: Condition }> = [];
  const add = (path: Array<string | number>, condition: Condition | undefined) => {
    if (condition !== undefined) found.push({ path, condition });
  };
  add(['trigger', 'condition'], definition.trigger.condition);
  if ('for_each' in definition.trigger) {
    add(['trigger', 'for_each', 'condition'], definition.trigger.for_each?.condition);
  }
  add(['entry', 'condition'], definition.entry.condition);
  definition.exit_when.forEach((rule, index) => {
    add(['exit_when', index, 'condition'], rule.condition);
  });
  add(['goal', 'condition'], definition.goal?.condition);
  definition.nodes.forEach((node, index) => {
    if (node.type === 'wait_for_event') add(['nodes', index, 'condition'], node.condition);
    if (node.type === 'branch') {
      node.branches.forEach((branch, b) => {
        add(['nodes', index, 'branches', b, 'condition'], branch.condition);
      });
    }
  });
  return found;
};

/** Every duration in the definition with its path, and whether it may be negative. */
const durationsOf = (
  definition: LimitedDefinition,
): Array<{ path: Array<string | number>; value: string; signed: boolean }> => {
  const found: Array<{ path: Array<string | number>; value: string; signed: boolean }> = [];
  const add = (path: Array<string | number>, value: string | undefined, signed = false) => {
    if (value !== undefined) found.push({ path, value, signed });
  };
  if ('offset' in definition.trigger) add(['trigger', 'offset'], definition.trigger.offset, true);
  if (typeof definition.entry.reentry === 'object') {
    add(['entry', 'reentry', 'cooldown'], definition.entry.reentry.cooldown);
  }
  add(['goal', 'within'], definition.goal?.within);
  definition.nodes.forEach((node, index) => {
    if (node.type === 'wait') {
      add(['nodes', index, 'duration'], node.duration);
      add(['nodes', index, 'until', 'offset'], node.until?.offset, true);
    }
    if (node.type === 'wait_for_event') add(['nodes', index, 'timeout'], node.timeout);
  });
  return found;
};

/**
 * What keeps a well-formed definition from being published. The structural
 * limits come first and alone: past them, the checks that walk conditions
 * (recursively) are not safe to run.
 */
export const journeyLimitProblems = (
  definition: LimitedDefinition,
): {
  problems: LimitProblem[];
  structural: boolean;
} => {
  const structural: LimitProblem[] = [];
  for (const { path, condition } of conditionsOf(definition)) {
    if (nestingDepth(condition, journeyLimits.conditionDepth) > journeyLimits.conditionDepth) {
      structural.push({
        path,
        message: `nests deeper than ${journeyLimits.conditionDepth} levels (each $and, $or or $not with its list counts)`,
      });
    }
  }
  if (nestingDepth(definition, journeyLimits.depth) > journeyLimits.depth) {
    structural.push({
      path: [],
      message: `nests deeper than ${journeyLimits.depth} levels of objects and lists`,
    });
  }
  // Too deep to measure its size safely, or refused for its depth already.
  if (structural.length > 0) return { problems: structural, structural: true };
  const bytes = Buffer.byteLength(JSON.stringify(definition));
  if (bytes > journeyLimits.definitionBytes) {
    structural.push({
      path: [],
      message: `is ${Math.ceil(bytes / 1024)} KB; a journey may be at most ${journeyLimits.definitionBytes / 1024} KB`,
    });
  }
  if (definition.nodes.length > journeyLimits.nodes) {
    structural.push({
      path: ['nodes'],
      message: `has ${definition.nodes.length} nodes; a journey may have at most ${journeyLimits.nodes}`,
    });
  }
  if (structural.length > 0) return { problems: structural, structural: true };
  const problems = durationsOf(definition).flatMap(({ path, value, signed }) => {
    const problem = durationRangeProblem(value, { signed });
    return problem === undefined ? [] : [{ path, message: problem }];
  });
  return { problems, structural: false };
};

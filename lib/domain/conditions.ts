import { RE2JS } from 're2js';
import sift from 'sift';
import { z } from 'zod';
import { hasReferences, referenceProblems, resolveReferences } from './references.js';

/**
 * A MongoDB-style query over `{ contact, event, enrollment }`, e.g.
 * `{ "contact.topics": "newsletter", "event.data.total": { "$gte": 100 } }`.
 * Evaluated by sift without `$where`: marketers write conditions, so nothing in
 * them may run code. A value may be `{ "$ref": "<path>" }` to compare with
 * another part of the context, e.g. a later order with the one that started the
 * enrollment: `{ "event.data.products.category": { "$in": { "$ref": "enrollment.trigger.data.products.category" } } }`.
 */
export const Condition = z.record(z.string(), z.unknown());
export type Condition = z.infer<typeof Condition>;

/** `$where` runs JavaScript; conditions are written by marketers, so it is refused when compiled. */
const refuseWhere = (): never => {
  throw new Error('Unsupported operation: $where');
};

const regexFlags: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
};

/**
 * `$regex` in linear time. JavaScript's backtracking engine takes exponential
 * time on patterns such as `^(a+)+$`, and the text it runs on (a name) comes
 * from a public signup form: one request could hold the journeys function for
 * minutes. RE2 has no backreferences or lookaround, so a pattern that needs them
 * is refused when the journey is validated, with RE2's reason.
 */
/** sift's own type for an operation, from its signature: its builds export different names. */
type OperationCreator = NonNullable<NonNullable<Parameters<typeof sift>[1]>['operations']>[string];

const linearRegex: OperationCreator = (pattern: unknown, ownerQuery: unknown, options) => {
  if (typeof pattern !== 'string') throw new Error('$regex takes a pattern as text');
  const given =
    typeof ownerQuery === 'object' && ownerQuery !== null
      ? (Object.getOwnPropertyDescriptor(ownerQuery, '$options')?.value ?? '')
      : '';
  if (typeof given !== 'string') throw new Error('$options takes flags as text, such as "i"');
  let flags = 0;
  for (const flag of given) {
    const bit = Object.hasOwn(regexFlags, flag) ? regexFlags[flag] : undefined;
    if (bit === undefined) throw new Error(`$options "${flag}" is not one of i, m, s`);
    flags |= bit;
  }
  const regex = RE2JS.compile(pattern, flags);
  // sift's own $eq takes a function as its tester; reached through the operations it passes
  // in, because sift's named exports differ between its CommonJS and ES module builds.
  const equals = options.operations.$eq;
  if (equals === undefined) throw new Error('sift offers no $eq operation');
  return equals(
    (value: unknown) => typeof value === 'string' && regex.test(value),
    ownerQuery,
    options,
    '$eq',
  );
};

/** What every condition is compiled with: no `$where`, and `$regex` in linear time. */
export const conditionOperations = { $where: refuseWhere, $regex: linearRegex };
const operations = conditionOperations;

/**
 * How long the conditions of one journey may take on one record. Every
 * operator runs in linear time and takes microseconds on a real contact, so
 * only a pathological condition comes near it; the margin is wide enough that a
 * garbage-collection pause on a busy instance never does. Past it, the journey
 * fails on that record (recorded against it) and the other journeys carry on.
 */
export const conditionBudgetMs = 1_000;

export class ConditionBudgetExceededError extends Error {
  override readonly name = 'ConditionBudgetExceededError';
}

let deadline: number | undefined;

/**
 * Runs `evaluate` (synchronous, so nothing else can run in between) with a
 * deadline for the conditions it evaluates: the first one after it throws
 * ConditionBudgetExceededError.
 */
export const withConditionBudget = <T>(budgetMs: number, evaluate: () => T): T => {
  const outer = deadline;
  deadline = performance.now() + budgetMs;
  try {
    return evaluate();
  } finally {
    deadline = outer;
  }
};

const checkBudget = (): void => {
  if (deadline !== undefined && performance.now() > deadline) {
    throw new ConditionBudgetExceededError(
      `conditions took longer than their budget of ${conditionBudgetMs} ms`,
    );
  }
};

export interface ConditionContext {
  contact: unknown;
  event?: unknown;
  enrollment?: unknown;
  /** A `for_each` trigger's element, while its condition decides whether it starts an enrollment. */
  item?: unknown;
}

const compiled = new WeakMap<Condition, (context: ConditionContext) => boolean>();

const compile = (condition: Condition): ((context: ConditionContext) => boolean) => {
  const known = compiled.get(condition);
  if (known !== undefined) return known;
  const tester = sift(condition, { operations });
  const test = (context: ConditionContext): boolean => tester(context);
  compiled.set(condition, test);
  return test;
};

/** The reason a condition cannot be evaluated (an unknown `$operator`, a bad `$ref`), or undefined if it is fine. */
export const conditionProblem = (condition: Condition): string | undefined => {
  const badReference = referenceProblems(condition)[0];
  if (badReference !== undefined) return badReference;
  try {
    // Compiled with the references as nulls: what is checked here is the operators.
    const { value } = resolveReferences(condition, {});
    compile(Condition.parse(value));
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

/**
 * A condition that refers to something absent (the trigger had no category)
 * does not match: comparing with a missing value would otherwise match every
 * event that lacks the field too.
 */
export const matchesCondition = (condition: Condition | undefined, context: ConditionContext): boolean => {
  if (condition === undefined) return true;
  checkBudget();
  if (!hasReferences(condition)) return compile(condition)(context);
  const { value, missing } = resolveReferences(condition, { ...context });
  if (missing.length > 0) return false;
  return compileResolved(Condition.parse(value))(context);
};

/**
 * Conditions with their references filled in, compiled once per distinct text:
 * the same few categories and ids recur across contacts, and compiling a query
 * costs far more than writing it out as JSON to look it up.
 */
const resolvedTesters = new Map<string, (context: ConditionContext) => boolean>();
const resolvedTestersAtMost = 1_000;

const compileResolved = (condition: Condition): ((context: ConditionContext) => boolean) => {
  const text = JSON.stringify(condition);
  const known = resolvedTesters.get(text);
  if (known !== undefined) return known;
  const tester = sift(condition, { operations });
  const test = (context: ConditionContext): boolean => tester(context);
  if (resolvedTesters.size >= resolvedTestersAtMost) resolvedTesters.clear();
  resolvedTesters.set(text, test);
  return test;
};

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

export interface ConditionContext {
  contact: unknown;
  event?: unknown;
  enrollment?: unknown;
}

const compiled = new WeakMap<Condition, (context: ConditionContext) => boolean>();

const compile = (condition: Condition): ((context: ConditionContext) => boolean) => {
  const known = compiled.get(condition);
  if (known !== undefined) return known;
  const tester = sift(condition, { operations: { $where: refuseWhere } });
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
  if (!hasReferences(condition)) return compile(condition)(context);
  const { value, missing } = resolveReferences(condition, { ...context });
  if (missing.length > 0) return false;
  return sift(Condition.parse(value), { operations: { $where: refuseWhere } })(context);
};

import sift from 'sift';
import { z } from 'zod';

/**
 * A MongoDB-style query over `{ contact, event, enrollment }`, e.g.
 * `{ "contact.topics": "newsletter", "event.data.total": { "$gte": 100 } }`.
 * Evaluated by sift without `$where`: marketers write conditions, so nothing in
 * them may run code.
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

/** The reason a condition cannot be evaluated (an unknown `$operator`), or undefined if it is fine. */
export const conditionProblem = (condition: Condition): string | undefined => {
  try {
    compile(condition);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

export const matchesCondition = (condition: Condition | undefined, context: ConditionContext): boolean =>
  condition === undefined || compile(condition)(context);

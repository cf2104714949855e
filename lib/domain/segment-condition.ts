import { DateTime } from 'luxon';
import sift from 'sift';
import type { z } from 'zod';
import { Condition, conditionOperations, conditionProblem, matchesCondition } from './conditions.js';
import type { Contact } from './contact.js';
import { withCardView } from './customer-card.js';
import { durationOf, durationRangeProblem, SignedIsoDuration } from './durations.js';
import { isRecord } from './is-record.js';
import { journeyLimits, nestingDepth } from './journey-limits.js';

/**
 * A segment's condition: the journey conditions' MongoDB-style language over
 * `{ contact }` (`contact.customer.tier`, `contact.consent.email.status`,
 * `contact.acquisition.utm.medium`, money in major units), plus three
 * operators on dates measured from the moment it is evaluated, so a saved
 * segment stays true over time:
 *
 * - `{ "$within": "-P180D" }`: between 180 days ago and now; `"P60D"`: between
 *   now and 60 days ahead;
 * - `{ "$before": "-P365D" }`: earlier than 365 days ago (an ISO date or time
 *   instead of a duration compares with that instant);
 * - `{ "$after": "-P30D" }`: later than 30 days ago.
 *
 * A value that is not a date (absent, a number) never matches them. Dates
 * without a time (`2026-12-01`, a replacement due date) are midnight UTC.
 */
export const relativeDateOperators = ['$within', '$before', '$after'] as const;
type RelativeDateOperator = (typeof relativeDateOperators)[number];

const isRelativeDateOperator = (key: string): key is RelativeDateOperator =>
  relativeDateOperators.some((operator) => operator === key);

const instantOf = (value: unknown): number | undefined => {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { zone: 'utc' });
  return parsed.isValid ? parsed.toMillis() : undefined;
};

const isDuration = (value: string): boolean => /^-?P/.test(value);

/** Why an operand cannot be read, or undefined. */
const operandProblem = (operator: RelativeDateOperator, operand: unknown): string | undefined => {
  if (typeof operand !== 'string')
    return `${operator} takes an ISO 8601 duration such as -P180D${operator === '$within' ? '' : ' or an ISO date'}`;
  if (isDuration(operand)) {
    if (!SignedIsoDuration.safeParse(operand).success)
      return `${operator}: "${operand}" is not an ISO 8601 duration such as -P180D or P60D`;
    return durationRangeProblem(operand, { signed: true }) === undefined
      ? undefined
      : `${operator}: "${operand}" must be at most P20Y either way`;
  }
  if (operator === '$within')
    return `$within takes a duration from now (-P180D back, P60D ahead), not "${operand}"`;
  return instantOf(operand) === undefined
    ? `${operator}: "${operand}" is not an ISO date or duration`
    : undefined;
};

const shifted = (now: Date, operand: string): number =>
  isDuration(operand)
    ? DateTime.fromJSDate(now, { zone: 'utc' }).plus(durationOf(operand)).toMillis()
    : (instantOf(operand) ?? Number.NaN);

/** The operator as a test on one value, relative to `now`. */
const dateTest = (operator: RelativeDateOperator, operand: string, now: Date) => {
  const bound = shifted(now, operand);
  const nowMs = now.getTime();
  return (value: unknown): boolean => {
    const at = instantOf(value);
    if (at === undefined) return false;
    switch (operator) {
      case '$within':
        return bound < nowMs ? at >= bound && at <= nowMs : at >= nowMs && at <= bound;
      case '$before':
        return at < bound;
      case '$after':
        return at > bound;
      default: {
        const unknownOperator: never = operator;
        throw new Error(`unknown date operator ${String(unknownOperator)}`);
      }
    }
  };
};

/** sift's own type for an operation, from its signature: its builds export different names. */
type OperationCreator = NonNullable<NonNullable<Parameters<typeof sift>[1]>['operations']>[string];

/**
 * The operators for one moment. sift's `$eq` with a function tests each value
 * (and each element of an array, so `ownedProducts.replacementDueAt` matches if
 * any product is due), which is what a field condition means in MongoDB.
 */
const dateOperations = (now: Date): Record<RelativeDateOperator, OperationCreator> => {
  const operation =
    (operator: RelativeDateOperator): OperationCreator =>
    (operand: unknown, ownerQuery: unknown, options) => {
      const problem = operandProblem(operator, operand);
      if (problem !== undefined || typeof operand !== 'string') throw new Error(problem);
      const equals = options.operations.$eq;
      if (equals === undefined) throw new Error('sift offers no $eq operation');
      return equals(dateTest(operator, operand, now), ownerQuery, options, '$eq');
    };
  return { $within: operation('$within'), $before: operation('$before'), $after: operation('$after') };
};

const usesDateOperators = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.some(usesDateOperators)
    : isRecord(value) &&
      Object.entries(value).some(([key, inner]) => isRelativeDateOperator(key) || usesDateOperators(inner));

/** The date operators' problems anywhere in the condition, each with its path. */
const dateOperatorProblems = (value: unknown, path: string): string[] => {
  if (Array.isArray(value))
    return value.flatMap((inner, index) => dateOperatorProblems(inner, `${path}.${index}`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    if (!isRelativeDateOperator(key))
      return dateOperatorProblems(inner, path === '' ? key : `${path}.${key}`);
    const problem = operandProblem(key, inner);
    return problem === undefined ? [] : [`${path}: ${problem}`];
  });
};

/** The operators sift would otherwise reject as unknown, as placeholders journey validation accepts. */
const withoutDateOperators = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutDateOperators);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      isRelativeDateOperator(key) ? ['$exists', true] : [key, withoutDateOperators(inner)],
    ),
  );
};

/**
 * What a segment's condition may hold: as deep as a journey's (its checks and its
 * evaluation recurse, so a condition nested 10,000 levels would overflow the stack),
 * and a size no real audience comes near (the repository's are under 300 bytes) that
 * keeps the segment a small item read on every count and pass.
 */
export const segmentConditionLimits = { depth: journeyLimits.conditionDepth, bytes: 16 * 1024 } as const;

/** Past these limits nothing else is checked: the other checks walk the condition recursively. */
const sizeProblem = (condition: Condition): string | undefined => {
  if (nestingDepth(condition, segmentConditionLimits.depth) > segmentConditionLimits.depth)
    return `nests deeper than ${segmentConditionLimits.depth} levels (each $and, $or or $not with its list counts)`;
  // TextEncoder rather than Buffer: the console checks conditions in the browser with this same code.
  const bytes = new TextEncoder().encode(JSON.stringify(condition)).length;
  return bytes > segmentConditionLimits.bytes
    ? `is ${Math.ceil(bytes / 1024)} KiB as JSON; a segment's condition may be at most ${segmentConditionLimits.bytes / 1024} KiB`
    : undefined;
};

/** Why a segment condition cannot be evaluated, or undefined. */
export const segmentConditionProblem = (condition: Condition): string | undefined => {
  const size = sizeProblem(condition);
  if (size !== undefined) return size;
  const dates = dateOperatorProblems(condition, '')[0];
  if (dates !== undefined) return dates;
  const rest = withoutDateOperators(condition);
  return isRecord(rest) ? conditionProblem(rest) : 'must be an object of field conditions';
};

export const SegmentCondition = Condition.superRefine((condition, ctx) => {
  const problem = segmentConditionProblem(condition);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});
export type SegmentCondition = z.infer<typeof SegmentCondition>;

/**
 * Whether the contact is in the segment at `now`. The contact is read as
 * people see it (its card's money in major units, as in journey conditions).
 * Conditions without date operators are compiled once (conditions.ts caches
 * them); with them, once per call, so a job that evaluates many contacts
 * should pass the same condition object and use matcherFor.
 */
export const matchesSegment = (condition: Condition, contact: Contact, now: Date): boolean =>
  matcherFor(condition, now)(contact);

/** A test for many contacts against one condition at one moment (a count, a launch, a nightly pass). */
export const matcherFor = (condition: Condition, now: Date): ((contact: Contact) => boolean) => {
  if (!usesDateOperators(condition))
    return (contact) => matchesCondition(condition, { contact: withCardView(contact) });
  const tester = sift(condition, { operations: { ...conditionOperations, ...dateOperations(now) } });
  return (contact) => tester({ contact: withCardView(contact) });
};

/** The JSON Schema of the date operators, for the editor and docs/segments.md. */
export const relativeDateOperatorSchemas = Object.fromEntries(
  relativeDateOperators.map((operator) => [
    operator,
    {
      type: 'string',
      description:
        operator === '$within'
          ? 'An ISO 8601 duration from now: -P180D (the last 180 days) or P60D (the next 60 days).'
          : `An ISO 8601 duration from now (-P365D) or an ISO date; matches dates ${operator === '$before' ? 'earlier' : 'later'} than it.`,
      pattern: operator === '$within' ? '^-?P' : '^(-?P|\\d{4}-\\d{2}-\\d{2})',
    },
  ]),
);

import { isRecord } from './is-record.js';

/** An event filter pattern in EventBridge's syntax, as plain JSON (the topology's stream filters and bus rules). */
type FilterPattern = Readonly<Record<string, unknown>>;

/**
 * Lambda event filtering: the EventBridge pattern syntax that event source
 * mappings accept, matched against one record (the local runtime's pollers and
 * bus, and the dead-letter intake reading a failed batch back from the stream). A record passes when ANY of the
 * mapping's patterns matches it; within a pattern every named field must match.
 */

export class InvalidFilterPatternError extends Error {
  override readonly name = 'InvalidFilterPatternError';
}

type Primitive = string | number | boolean | null;

const isPrimitive = (value: unknown): value is Primitive =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

const numericOperators = ['<', '<=', '=', '>', '>='] as const;
type NumericOperator = (typeof numericOperators)[number];
const isNumericOperator = (value: unknown): value is NumericOperator =>
  numericOperators.some((operator) => operator === value);

const matcherKeys = [
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'exists',
  'numeric',
];

const invalid = (path: string, problem: string): InvalidFilterPatternError =>
  new InvalidFilterPatternError(`filter pattern at "${path}": ${problem}`);

const assertStringOrIgnoreCase = (value: unknown, path: string): void => {
  if (typeof value === 'string') return;
  if (isRecord(value) && typeof value['equals-ignore-case'] === 'string' && Object.keys(value).length === 1)
    return;
  throw invalid(path, 'expects a string');
};

const assertValidMatcher = (matcher: unknown, path: string): void => {
  if (isPrimitive(matcher)) return;
  if (!isRecord(matcher)) throw invalid(path, 'a value list may hold only values and matcher objects');
  const names = Object.keys(matcher);
  const [name] = names;
  if (names.length !== 1 || name === undefined || !matcherKeys.includes(name))
    throw invalid(path, `unsupported matcher ${JSON.stringify(matcher)}`);
  const argument = matcher[name];
  switch (name) {
    case 'prefix':
    case 'suffix':
      assertStringOrIgnoreCase(argument, `${path}.${name}`);
      return;
    case 'equals-ignore-case':
    case 'wildcard':
      if (typeof argument !== 'string') throw invalid(`${path}.${name}`, 'expects a string');
      return;
    case 'exists':
      if (typeof argument !== 'boolean') throw invalid(`${path}.exists`, 'expects true or false');
      return;
    case 'anything-but':
      if (isPrimitive(argument)) return;
      if (Array.isArray(argument) && argument.every(isPrimitive)) return;
      if (isRecord(argument) && !('anything-but' in argument) && !('exists' in argument)) {
        assertValidMatcher(argument, `${path}.anything-but`);
        return;
      }
      throw invalid(`${path}.anything-but`, 'expects a value, a list of values, or a prefix/suffix matcher');
    case 'numeric': {
      const valid =
        Array.isArray(argument) &&
        (argument.length === 2 || argument.length === 4) &&
        argument.every((part, index) =>
          index % 2 === 0 ? isNumericOperator(part) : typeof part === 'number',
        );
      if (!valid)
        throw invalid(
          `${path}.numeric`,
          'expects [operator, number] or [operator, number, operator, number]',
        );
      return;
    }
  }
};

const assertValidPattern = (pattern: Record<string, unknown>, path: string): void => {
  for (const [key, sub] of Object.entries(pattern)) {
    const subPath = path === '' ? key : `${path}.${key}`;
    if (Array.isArray(sub)) {
      if (sub.length === 0) throw invalid(subPath, 'an empty value list matches nothing');
      sub.forEach((matcher, index) => {
        assertValidMatcher(matcher, `${subPath}[${index}]`);
      });
    } else if (isRecord(sub)) {
      assertValidPattern(sub, subPath);
    } else {
      throw invalid(subPath, 'a field must hold a nested pattern or a list of values');
    }
  }
};

const textMatch = (
  argument: unknown,
  value: string,
  test: (candidate: string, expected: string) => boolean,
): boolean => {
  if (typeof argument === 'string') return test(value, argument);
  if (isRecord(argument) && typeof argument['equals-ignore-case'] === 'string')
    return test(value.toLowerCase(), argument['equals-ignore-case'].toLowerCase());
  return false;
};

const wildcardMatch = (value: string, pattern: string): boolean => {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
};

const compareNumeric = (value: number, operator: unknown, bound: unknown): boolean => {
  if (typeof bound !== 'number') return false;
  switch (operator) {
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
    case '=':
      return value === bound;
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    default:
      return false;
  }
};

/** One matcher against one present, non-array value. */
const matchesValue = (matcher: unknown, value: unknown): boolean => {
  if (isPrimitive(matcher)) return matcher === value;
  if (!isRecord(matcher)) return false;
  if ('prefix' in matcher)
    return typeof value === 'string' && textMatch(matcher.prefix, value, (v, e) => v.startsWith(e));
  if ('suffix' in matcher)
    return typeof value === 'string' && textMatch(matcher.suffix, value, (v, e) => v.endsWith(e));
  if ('equals-ignore-case' in matcher)
    return (
      typeof value === 'string' &&
      typeof matcher['equals-ignore-case'] === 'string' &&
      value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase()
    );
  if ('wildcard' in matcher)
    return (
      typeof value === 'string' &&
      typeof matcher.wildcard === 'string' &&
      wildcardMatch(value, matcher.wildcard)
    );
  if ('anything-but' in matcher) {
    const excluded = matcher['anything-but'];
    if (Array.isArray(excluded)) return !excluded.some((item) => item === value);
    return !matchesValue(excluded, value);
  }
  if ('numeric' in matcher) {
    const conditions = matcher.numeric;
    if (typeof value !== 'number' || !Array.isArray(conditions)) return false;
    for (let index = 0; index < conditions.length; index += 2) {
      if (!compareNumeric(value, conditions[index], conditions[index + 1])) return false;
    }
    return true;
  }
  return false;
};

const matchesLeaf = (matcher: unknown, field: unknown): boolean => {
  if (isRecord(matcher) && 'exists' in matcher) return matcher.exists === (field !== undefined);
  if (field === undefined) return false;
  // A list in the record matches when any of its elements does, as in EventBridge.
  if (Array.isArray(field)) return field.some((element) => matchesValue(matcher, element));
  return matchesValue(matcher, field);
};

const matchesPattern = (pattern: Record<string, unknown>, value: unknown): boolean =>
  Object.entries(pattern).every(([key, sub]) => {
    const field = isRecord(value) ? value[key] : undefined;
    if (Array.isArray(sub)) return sub.some((matcher) => matchesLeaf(matcher, field));
    if (!isRecord(sub)) return false;
    if (Array.isArray(field)) return field.some((element) => matchesPattern(sub, element));
    return matchesPattern(sub, field);
  });

/**
 * Checks the patterns once and returns a predicate over records. Throws
 * InvalidFilterPatternError for a pattern Lambda would refuse to create.
 */
export const compileFilters = (patterns: readonly FilterPattern[]): ((record: unknown) => boolean) => {
  if (patterns.length === 0) throw new InvalidFilterPatternError('at least one filter pattern is needed');
  for (const pattern of patterns) assertValidPattern(pattern, '');
  return (record) => patterns.some((pattern) => matchesPattern(pattern, record));
};

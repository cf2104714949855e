import { z } from 'zod';
import { isRecord } from './is-record.js';

/**
 * A dotted path into `{ contact, event, enrollment }`, e.g. `enrollment.trigger.data.products.category`.
 * Numeric segments index arrays; any other segment met at an array collects from
 * every element, as MongoDB's (and so sift's) field paths do.
 */
export const ReferencePath = z
  .string()
  .regex(
    /^(contact|event|enrollment)(\.[A-Za-z0-9_-]+)+$/,
    'must be a path into contact, event or enrollment, such as enrollment.trigger.data.category',
  );

/** `{ $ref: "<path>" }` in a condition or a node's values stands for the value found there. */
export const Reference = z.object({ $ref: ReferencePath }).strict();
export type Reference = z.infer<typeof Reference>;

const isReferenceShape = (value: unknown): value is { $ref: unknown } =>
  isRecord(value) && Object.hasOwn(value, '$ref');

const ownValue = (value: unknown, key: string): unknown =>
  isRecord(value) || Array.isArray(value) ? Object.getOwnPropertyDescriptor(value, key)?.value : undefined;

/** The value at `path` in `root`, or undefined when the path leads nowhere. */
export const valueAt = (root: unknown, path: string): unknown => {
  let value: unknown = root;
  for (const segment of path.split('.')) {
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && !/^\d+$/.test(segment)) {
      const collected = value.flatMap((element) => {
        const found = ownValue(element, segment);
        return found === undefined ? [] : Array.isArray(found) ? found : [found];
      });
      value = collected.length === 0 ? undefined : collected;
    } else {
      value = ownValue(value, segment);
    }
  }
  return value;
};

export interface ResolvedValue {
  value: unknown;
  /** Paths referenced but absent: the caller decides whether that voids the whole value. */
  missing: string[];
}

/** Replaces every `{ $ref }` in `value` with what it names in `scope`. */
export const resolveReferences = (value: unknown, scope: Record<string, unknown>): ResolvedValue => {
  const missing: string[] = [];
  const walk = (node: unknown): unknown => {
    if (isReferenceShape(node)) {
      const path = String(node.$ref);
      const found = valueAt(scope, path);
      if (found === undefined) missing.push(path);
      return found;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (isRecord(node)) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return { value: walk(value), missing };
};

/** Whether `value` holds any `{ $ref }`, so callers can keep a fast path for plain values. */
export const hasReferences = (value: unknown): boolean =>
  isReferenceShape(value) ||
  (Array.isArray(value) && value.some(hasReferences)) ||
  (isRecord(value) && Object.values(value).some(hasReferences));

/** Problems with the references in `value`, each as `<where>: <problem>`; empty when all are well formed. */
export const referenceProblems = (value: unknown, where: Array<string | number> = []): string[] => {
  if (isReferenceShape(value)) {
    const parsed = Reference.safeParse(value);
    return parsed.success
      ? []
      : [`${[...where, '$ref'].join('.')}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => referenceProblems(item, [...where, index]));
  if (isRecord(value))
    return Object.entries(value).flatMap(([key, item]) => referenceProblems(item, [...where, key]));
  return [];
};

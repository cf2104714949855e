import { isMap, isPair, isScalar, isSeq, type Node, parseDocument, visit } from 'yaml';
import { isRecord } from '../../lib/domain/is-record.js';

type Schema = Record<string, unknown>;
type PathSegment = string | number;

export interface SchemaSuggestion {
  label: string;
  /** What goes into the text: a key comes with its colon. */
  apply: string;
  detail?: string;
  info?: string;
}

export interface SchemaSuggestions {
  /** The start of the word being completed; it is replaced up to the cursor. */
  from: number;
  position: 'key' | 'value';
  options: SchemaSuggestion[];
}

/**
 * Stands in for the word being typed, so that a half-typed line still parses
 * and the place of the cursor in the document can be read from the tree.
 */
const cursor = 'rapport-completion-cursor';

const wordCharacter = /[\w$.-]/;

const isCursor = (value: unknown): boolean => value === cursor;

/** The keys and sequence positions from the document's root down to the cursor's pair. */
const pathOf = (ancestors: readonly unknown[], self: unknown): PathSegment[] => {
  const path: PathSegment[] = [];
  ancestors.forEach((ancestor, index) => {
    const next = ancestors[index + 1] ?? self;
    if (isPair(ancestor) && ancestor.value === next) {
      path.push(String(isScalar(ancestor.key) ? ancestor.key.value : ancestor.key));
    } else if (isSeq(ancestor)) {
      path.push(ancestor.items.indexOf(next));
    }
  });
  return path;
};

const alternatives = (schema: unknown, root: Schema): Schema[] => {
  if (!isRecord(schema)) return [];
  const reference = schema.$ref;
  if (typeof reference === 'string' && reference.startsWith('#/')) {
    const target = reference
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (isRecord(at) ? at[key] : undefined), root);
    return alternatives(target, root);
  }
  const options = [schema.anyOf, schema.oneOf, schema.allOf].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return options.length > 0 ? options.flatMap((option) => alternatives(option, root)) : [schema];
};

const allows = (property: unknown, value: unknown): boolean => {
  if (!isRecord(property) || isCursor(value)) return true;
  if ('const' in property && property.const !== value) return false;
  return !Array.isArray(property.enum) || property.enum.includes(value);
};

/** Whether an alternative can describe what is written so far (a node's `type`, a trigger's `event` or `date`). */
const fits = (schema: Schema, value: unknown): boolean => {
  if (!isRecord(value) || !isRecord(schema.properties)) return true;
  const properties = schema.properties;
  return Object.entries(value).every(([key, given]) => {
    if (key === cursor) return true;
    if (!(key in properties)) return schema.additionalProperties !== false;
    return allows(properties[key], given);
  });
};

const childOf = (schema: Schema, segment: PathSegment): unknown => {
  if (typeof segment === 'number') return schema.items;
  if (isRecord(schema.properties) && segment in schema.properties) return schema.properties[segment];
  return isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined;
};

const valueAt = (document: unknown, path: readonly PathSegment[]): unknown =>
  path.reduce<unknown>((at, segment) => {
    if (Array.isArray(at) && typeof segment === 'number') return at[segment];
    return isRecord(at) && typeof segment === 'string' ? at[segment] : undefined;
  }, document);

/** The schemas that may describe the value at `path`, narrowed by what the document already says. */
const schemasAt = (root: Schema, document: unknown, path: readonly PathSegment[]): Schema[] =>
  path.reduce<Schema[]>(
    (candidates, segment, index) =>
      candidates
        .flatMap((candidate) => alternatives(childOf(candidate, segment), root))
        .filter((candidate) => fits(candidate, valueAt(document, path.slice(0, index + 1)))),
    alternatives(root, root).filter((candidate) => fits(candidate, document)),
  );

const describe = (schema: unknown, root: Schema): { detail?: string; info?: string } => {
  const found = alternatives(schema, root);
  const first = found[0];
  const types = [...new Set(found.map((option) => option.type).filter((type) => typeof type === 'string'))];
  const description = first?.description;
  return {
    ...(types.length > 0 ? { detail: types.join(' | ') } : {}),
    ...(typeof description === 'string' ? { info: description } : {}),
  };
};

const keySuggestions = (
  root: Schema,
  candidates: readonly Schema[],
  written: ReadonlySet<string>,
): SchemaSuggestion[] =>
  candidates.flatMap((candidate) =>
    Object.entries(isRecord(candidate.properties) ? candidate.properties : {})
      .filter(([name]) => !written.has(name))
      .map(([name, property]) => ({ label: name, apply: `${name}: `, ...describe(property, root) })),
  );

const valueSuggestions = (candidates: readonly Schema[]): SchemaSuggestion[] =>
  candidates.flatMap((candidate) => {
    const values: unknown[] = [
      ...('const' in candidate ? [candidate.const] : []),
      ...(Array.isArray(candidate.enum) ? candidate.enum : []),
      ...(candidate.type === 'boolean' ? [true, false] : []),
    ];
    const info = typeof candidate.description === 'string' ? { info: candidate.description } : {};
    return values
      .filter((value) => ['string', 'number', 'boolean'].includes(typeof value))
      .map((value) => ({ label: String(value), apply: String(value), ...info }));
  });

const unique = (suggestions: readonly SchemaSuggestion[]): SchemaSuggestion[] => [
  ...new Map(suggestions.map((suggestion) => [suggestion.label, suggestion])).values(),
];

/**
 * What the JSON Schema allows at the cursor of a block-style YAML document:
 * the keys not yet written in the mapping the cursor is in, or the values a
 * key takes (its enum or const, true and false). Alternatives (anyOf, oneOf)
 * are narrowed by the keys already written, so a node of `type: wait` is
 * offered a wait's fields. Undefined where the schema has nothing to offer.
 */
export const schemaSuggestions = (
  schema: unknown,
  text: string,
  offset: number,
): SchemaSuggestions | undefined => {
  if (!isRecord(schema)) return undefined;
  let from = offset;
  while (from > 0 && wordCharacter.test(text[from - 1] ?? '')) from--;
  let to = offset;
  while (to < text.length && wordCharacter.test(text[to] ?? '')) to++;
  const lineBefore = text.slice(text.lastIndexOf('\n', from - 1) + 1, from);
  const position = /^\s*(?:-\s+)*$/.test(lineBefore)
    ? 'key'
    : /^\s*(?:-\s+)*[\w$-]+:\s+$/.test(lineBefore)
      ? 'value'
      : undefined;
  if (position === undefined) return undefined;
  const stand = position === 'key' ? `${cursor}: ~` : cursor;
  const document = parseDocument(`${text.slice(0, from)}${stand}${text.slice(to)}`);
  let found: { path: PathSegment[]; map: Node | undefined } | undefined;
  visit(document, {
    Scalar: (_key, node, ancestors) => {
      if (!isCursor(node.value)) return undefined;
      const pair = ancestors.at(-1);
      const onKey = isPair(pair) && pair.key === node;
      if (onKey !== (position === 'key')) return undefined;
      const map = ancestors.at(-2);
      found = {
        path: pathOf(ancestors.slice(0, position === 'key' ? -1 : undefined), node),
        map: isMap(map) ? map : undefined,
      };
      return visit.BREAK;
    },
  });
  if (found === undefined) return undefined;
  const written = found.map?.toJSON();
  const candidates = schemasAt(schema, document.toJS(), found.path);
  const options =
    position === 'key'
      ? keySuggestions(schema, candidates, new Set(Object.keys(isRecord(written) ? written : {})))
      : valueSuggestions(candidates);
  return options.length === 0 ? undefined : { from, position, options: unique(options) };
};

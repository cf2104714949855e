import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, type Range } from 'yaml';

/** A problem's place in the YAML text: 1-based line, and the character range to underline. */
export interface YamlPlace {
  line: number;
  from: number;
  to: number;
}

/** `nodes.2.next` as the keys and indexes the YAML document is walked with. */
const segmentsOf = (path: string): string[] => (path === '' || path === 'body' ? [] : path.split('.'));

const rangeOf = (value: unknown): Range | undefined =>
  isNode(value) ? (value.range ?? undefined) : undefined;

/**
 * Where a problem the API names by its JSON path (`nodes.2.next`) is in the
 * YAML the marketer typed: the value at that path (a block's key, whose line
 * reads better than the block's first line), or the deepest part of the path
 * that exists: a missing `next` is marked on its node. The root is line 1.
 */
export const placeOfPath = (text: string, path: string): YamlPlace => {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  let node: unknown = document.contents;
  let range = rangeOf(node);
  for (const segment of segmentsOf(path)) {
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment,
      );
      if (pair === undefined) break;
      node = pair.value;
      const keyRange = rangeOf(pair.key);
      range =
        isMap(node) || isSeq(node) || node === null
          ? (keyRange ?? range)
          : (rangeOf(node) ?? keyRange ?? range);
    } else if (isSeq(node) && /^\d+$/.test(segment)) {
      const item: unknown = node.items[Number(segment)];
      if (item === undefined) break;
      node = item;
      range = rangeOf(item) ?? range;
    } else break;
  }
  const from = range?.[0] ?? 0;
  const to = Math.max(from, range?.[1] ?? from);
  return { line: lines.linePos(from).line, from, to };
};

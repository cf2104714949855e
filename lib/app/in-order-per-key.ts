import { inParallel } from './in-parallel.js';

/**
 * Runs `work` over the items: those with the same key one at a time, in their
 * order (each starts once the one before it has settled), and up to `limit` keys
 * at once, taken in the order their first item comes. The answers come in the
 * order of the items. Items that must keep their order among themselves share a
 * key (a `Map` key: `undefined` is one key too); an item that may go at any time
 * gets a key of its own.
 *
 * `work` should answer rather than throw: a throw rejects the whole run while the
 * other keys' items may still be running. A key's later items can see what an
 * earlier one did through the caller's own state (a failure, say), because they
 * never run beside it.
 */
export const inOrderPerKey = async <T, K, R>(
  items: readonly T[],
  keyOf: (item: T, index: number) => K,
  limit: number,
  work: (item: T, key: K) => Promise<R>,
): Promise<R[]> => {
  const groups = new Map<K, Array<{ index: number; item: T }>>();
  for (const [index, item] of items.entries()) {
    const key = keyOf(item, index);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [{ index, item }]);
    else group.push({ index, item });
  }
  const results: R[] = new Array(items.length);
  await inParallel([...groups], limit, async ([key, group]) => {
    for (const { index, item } of group) results[index] = await work(item, key);
  });
  return results;
};

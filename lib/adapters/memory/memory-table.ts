import { UnstorableItemError } from '../../domain/errors.js';
import { ttlAttribute } from '../dynamodb/keys.js';
import { maxTransactionItems, TransactionTooLargeError } from '../dynamodb/transaction-limits.js';
import { toStoredItem } from './item-limits.js';

/**
 * The single table, in memory: the same keys, items, conditions, transactions,
 * index and stream as the DynamoDB table, so adapters written against it behave
 * as the DynamoDB ones do. Every operation runs to completion before it returns
 * (JavaScript runs one thing at a time), which makes a transaction atomic and a
 * conditional write a true compare-and-set. Items go in and come out as copies.
 */

export interface ItemKey {
  PK: string;
  SK: string;
}

export type Item = Record<string, unknown> & ItemKey;

/** A ConditionExpression as a predicate over the item as stored (undefined when there is none). */
export type Condition = (current: Readonly<Record<string, unknown>> | undefined) => boolean;

export const itemAbsent: Condition = (current) => current === undefined;

export type TableWrite =
  /** PutItem: replaces the whole item. */
  | { put: Item; condition?: Condition }
  /** UpdateItem: the new attributes from the current ones (undefined: none yet, so the update creates it). */
  | {
      update: ItemKey;
      apply: (current: Readonly<Record<string, unknown>> | undefined) => Record<string, unknown>;
      condition?: Condition;
    }
  /** DeleteItem: deleting an absent item succeeds. */
  | { delete: ItemKey; condition?: Condition }
  /** ConditionCheck, inside a transaction only. */
  | { check: ItemKey; condition: Condition };

export type UpdateWrite = Extract<TableWrite, { update: ItemKey }>;

/** Which writes of a cancelled transaction failed their condition (all of them, as DynamoDB reports). */
export interface Cancellation {
  failedConditions: number[];
}

export type WriteOutcome =
  | { written: true; previous: Item | undefined; item: Item | undefined }
  /** ConditionalCheckFailedException, with the item as it is (ReturnValuesOnConditionCheckFailure: ALL_OLD). */
  | { written: false; current: Item | undefined };

/** A stream record (NEW_AND_OLD_IMAGES): what a write changed, in write order. */
export interface TableChange {
  sequence: number;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  keys: ItemKey;
  newImage?: Item;
  oldImage?: Item;
}

export interface QueryOptions {
  /** begins_with(SK, prefix) */
  prefix?: string;
  /** SK > after */
  after?: string;
  /** SK >= from */
  from?: string;
  /** SK < before */
  before?: string;
  /** SK <= to */
  to?: string;
  /** ScanIndexForward: false */
  descending?: boolean;
  limit?: number;
  /** ExclusiveStartKey: the sort key to go on after. */
  startAfter?: string;
  /** FilterExpression: applied to what was read, so the limit counts items it drops. */
  filter?: (item: Item) => boolean;
}

export interface QueryPage {
  items: Item[];
  /** LastEvaluatedKey: set whenever the limit stopped the query, as DynamoDB does, even if nothing is left. */
  lastKey: ItemKey | undefined;
}

/** The global secondary index (keys only, like GSI1): which items carry these index keys. */
export interface IndexEntry extends ItemKey {
  indexPartition: string;
  indexSort: string;
}

export interface IndexPage {
  entries: IndexEntry[];
  lastKey: Record<string, string> | undefined;
}

const indexPartitionKey = 'GSI1PK';
const indexSortKey = 'GSI1SK';

/** DynamoDB orders string keys by their UTF-8 bytes, which is code point order (not UTF-16's). */
export const compareKeys = (left: string, right: string): number => {
  if (left === right) return 0;
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) {
    const a = left.codePointAt(index) ?? 0;
    const b = right.codePointAt(index) ?? 0;
    if (a !== b) return a < b ? -1 : 1;
    if (a > 0xffff) index += 1;
  }
  return left.length < right.length ? -1 : left.length > right.length ? 1 : 0;
};

const copy = <T>(value: T): T => structuredClone(value);

class Partition {
  /** Sort keys in key order, kept sorted on insert so queries never sort. */
  readonly sortKeys: string[] = [];
  readonly items = new Map<string, Item>();

  /** Where `sortKey` is, or would be inserted. */
  position(sortKey: string): number {
    let low = 0;
    let high = this.sortKeys.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareKeys(this.sortKeys[middle] ?? '', sortKey) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  set(item: Item): void {
    if (!this.items.has(item.SK)) this.sortKeys.splice(this.position(item.SK), 0, item.SK);
    this.items.set(item.SK, item);
  }

  /** The first position whose key is greater than `sortKey`. */
  positionAfter(sortKey: string): number {
    const position = this.position(sortKey);
    return this.sortKeys[position] === sortKey ? position + 1 : position;
  }

  /** The positions [low, high) of the keys a query's key conditions select: contiguous, since keys are sorted. */
  range(options: QueryOptions): { low: number; high: number } {
    let low = 0;
    let high = this.sortKeys.length;
    if (options.prefix !== undefined) {
      const prefix = options.prefix;
      low = this.position(prefix);
      high = this.position(`${prefix}\u{10FFFF}`);
      while ((this.sortKeys[high] ?? '').startsWith(prefix) && high < this.sortKeys.length) high += 1;
    }
    if (options.after !== undefined) low = Math.max(low, this.positionAfter(options.after));
    if (options.from !== undefined) low = Math.max(low, this.position(options.from));
    if (options.before !== undefined) high = Math.min(high, this.position(options.before));
    if (options.to !== undefined) high = Math.min(high, this.positionAfter(options.to));
    if (options.startAfter !== undefined) {
      if (options.descending === true) high = Math.min(high, this.position(options.startAfter));
      else low = Math.max(low, this.positionAfter(options.startAfter));
    }
    return { low, high: Math.max(low, high) };
  }

  remove(sortKey: string): void {
    if (!this.items.delete(sortKey)) return;
    this.sortKeys.splice(this.position(sortKey), 1);
  }
}

const sameKey = (a: ItemKey, b: ItemKey): boolean => a.PK === b.PK && a.SK === b.SK;

const keyOf = (write: TableWrite): ItemKey => {
  if ('put' in write) return { PK: write.put.PK, SK: write.put.SK };
  if ('update' in write) return write.update;
  if ('delete' in write) return write.delete;
  return write.check;
};

export class MemoryTable {
  private readonly partitions = new Map<string, Partition>();
  /** GSI1PK → entries by `<GSI1SK>\u0000<PK>\u0000<SK>`. */
  private readonly index = new Map<string, Map<string, IndexEntry>>();
  private readonly listeners = new Set<(change: TableChange) => void>();
  private sequence = 0;

  /** GetItem (always consistent here). */
  get(key: ItemKey): Item | undefined {
    const item = this.partitions.get(key.PK)?.items.get(key.SK);
    return item === undefined ? undefined : copy(item);
  }

  /** Query on the table's keys, in key order (or reversed), a page at a time. */
  query(partitionKey: string, options: QueryOptions = {}): QueryPage {
    const partition = this.partitions.get(partitionKey);
    if (partition === undefined) return { items: [], lastKey: undefined };
    const { low, high } = partition.range(options);
    const items: Item[] = [];
    const descending = options.descending === true;
    for (let step = 0; step < high - low; step += 1) {
      const sortKey = partition.sortKeys[descending ? high - 1 - step : low + step] ?? '';
      const item = partition.items.get(sortKey);
      // As FilterExpression: what the limit read counts, whether or not the filter keeps it.
      if (item !== undefined && (options.filter === undefined || options.filter(item)))
        items.push(copy(item));
      if (options.limit !== undefined && step + 1 >= options.limit) {
        return { items, lastKey: { PK: partitionKey, SK: sortKey } };
      }
    }
    return { items, lastKey: undefined };
  }

  /** Every item of a partition, in key order. */
  queryAll(partitionKey: string, options: Omit<QueryOptions, 'limit' | 'startAfter'> = {}): Item[] {
    return this.query(partitionKey, options).items;
  }

  /**
   * A page of the index partition in index sort key order (keys only, like GSI1).
   * `startAfter` and the answer's `lastKey` carry all four keys, as DynamoDB's do.
   */
  queryIndex(indexPartition: string, limit: number, startAfter?: Record<string, string>): IndexPage {
    const entries = [...(this.index.get(indexPartition)?.values() ?? [])]
      .sort((a, b) => compareIndexEntries(a, b))
      .map((entry) => ({ entry }));
    const start = {
      indexSort: startAfter?.[indexSortKey] ?? '',
      PK: startAfter?.PK ?? '',
      SK: startAfter?.SK ?? '',
    };
    const from =
      startAfter === undefined ? 0 : entries.findIndex(({ entry }) => compareIndexEntries(entry, start) > 0);
    if (from < 0) return { entries: [], lastKey: undefined };
    const page = entries.slice(from, from + limit).map(({ entry }) => ({ ...entry }));
    const last = page.at(-1);
    return {
      entries: page,
      lastKey:
        page.length === limit && last !== undefined
          ? {
              PK: last.PK,
              SK: last.SK,
              [indexPartitionKey]: last.indexPartition,
              [indexSortKey]: last.indexSort,
            }
          : undefined,
    };
  }

  /** Scan: every item, partition by partition. */
  scan(): Item[] {
    return [...this.partitions.values()].flatMap((partition) =>
      partition.sortKeys.flatMap((sortKey) => {
        const item = partition.items.get(sortKey);
        return item === undefined ? [] : [copy(item)];
      }),
    );
  }

  /** The partition keys that begin with `prefix`, in key order (what a Scan would find of them). */
  partitionKeys(prefix: string): string[] {
    return [...this.partitions.keys()].filter((key) => key.startsWith(prefix)).sort(compareKeys);
  }

  /**
   * DynamoDB's TTL: removes every item whose `expiresAt` (epoch seconds) is at
   * or before `now`, each as a REMOVE on the stream. DynamoDB does this some
   * time after the moment (typically within days), so a simulation calls it when
   * it wants the expiry to have happened. How many items went.
   */
  expire(now: Date): number {
    const nowSeconds = now.getTime() / 1000;
    const expired = this.scan().filter(
      (item) => typeof item[ttlAttribute] === 'number' && item[ttlAttribute] <= nowSeconds,
    );
    for (const item of expired) this.write({ delete: item });
    return expired.length;
  }

  /** One conditional write (PutItem, UpdateItem, DeleteItem). */
  write(write: Exclude<TableWrite, { check: ItemKey }>): WriteOutcome {
    const key = keyOf(write);
    const current = this.partitions.get(key.PK)?.items.get(key.SK);
    if (
      write.condition !== undefined &&
      !write.condition(current === undefined ? undefined : copy(current))
    ) {
      return { written: false, current: current === undefined ? undefined : copy(current) };
    }
    const next = this.nextItem(write, current);
    this.notify(this.apply(key, current, next));
    return {
      written: true,
      previous: current === undefined ? undefined : copy(current),
      item: next === undefined ? undefined : copy(next),
    };
  }

  /**
   * TransactWriteItems: every condition is checked against the table as it is,
   * and either all writes happen or none. Undefined when it committed.
   */
  transact(writes: readonly TableWrite[]): Cancellation | undefined {
    if (writes.length > maxTransactionItems) {
      throw new TransactionTooLargeError(
        `a transaction holds at most ${maxTransactionItems} items; this one has ${writes.length}`,
      );
    }
    const writeKeys = writes.map(keyOf);
    if (writeKeys.some((key, index) => writeKeys.findIndex((other) => sameKey(key, other)) !== index)) {
      // DynamoDB answers a ValidationException, which the DynamoDB adapters report as unstorable.
      throw new UnstorableItemError('Transaction request cannot include multiple operations on one item');
    }
    const currents = writeKeys.map((key) => this.partitions.get(key.PK)?.items.get(key.SK));
    const failedConditions = writes.flatMap((write, index) => {
      const current = currents[index];
      return write.condition === undefined ||
        write.condition(current === undefined ? undefined : copy(current))
        ? []
        : [index];
    });
    if (failedConditions.length > 0) return { failedConditions };
    // Every new item is built (and checked) before anything is applied, so a refusal leaves no trace.
    const nexts = writes.map((write, index) =>
      'check' in write ? ('unchanged' as const) : this.nextItem(write, currents[index]),
    );
    const changes = writes.flatMap((_, index) => {
      const next = nexts[index];
      const key = writeKeys[index];
      if (next === 'unchanged' || key === undefined) return [];
      return this.apply(key, currents[index], next);
    });
    // Listeners hear a transaction once all of it is in place, as a stream reader would find it.
    this.notify(changes);
    return undefined;
  }

  /**
   * Hears every change after it is made, in write order: the table's stream. A
   * transaction's changes are heard once all of them are in place; a listener
   * that throws throws to the writer, with the write already made.
   */
  subscribe(listener: (change: TableChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private nextItem(
    write: Exclude<TableWrite, { check: ItemKey }>,
    current: Item | undefined,
  ): Item | undefined {
    if ('delete' in write) return undefined;
    const key = keyOf(write);
    const attributes =
      'put' in write ? write.put : write.apply(current === undefined ? undefined : copy(current));
    const stored = toStoredItem({ ...attributes, PK: key.PK, SK: key.SK });
    return { ...stored, PK: key.PK, SK: key.SK };
  }

  private notify(changes: readonly TableChange[]): void {
    for (const change of changes) for (const listener of this.listeners) listener(copy(change));
  }

  /** Makes the change; the stream record of it, if anything changed. */
  private apply(key: ItemKey, current: Item | undefined, next: Item | undefined): TableChange[] {
    if (current === undefined && next === undefined) return [];
    let partition = this.partitions.get(key.PK);
    if (next === undefined) {
      partition?.remove(key.SK);
      if (partition?.items.size === 0) this.partitions.delete(key.PK);
    } else {
      if (partition === undefined) {
        partition = new Partition();
        this.partitions.set(key.PK, partition);
      }
      partition.set(next);
    }
    if (current !== undefined) this.unindex(current);
    if (next !== undefined) this.reindex(next);
    this.sequence += 1;
    const change: TableChange = {
      sequence: this.sequence,
      eventName: current === undefined ? 'INSERT' : next === undefined ? 'REMOVE' : 'MODIFY',
      keys: { PK: key.PK, SK: key.SK },
      ...(next === undefined ? {} : { newImage: next }),
      ...(current === undefined ? {} : { oldImage: current }),
    };
    return [change];
  }

  private reindex(item: Item): void {
    const partition = item[indexPartitionKey];
    const sort = item[indexSortKey];
    if (typeof partition !== 'string' || typeof sort !== 'string') return;
    let entries = this.index.get(partition);
    if (entries === undefined) {
      entries = new Map();
      this.index.set(partition, entries);
    }
    entries.set(indexPosition(sort, item.PK, item.SK), {
      PK: item.PK,
      SK: item.SK,
      indexPartition: partition,
      indexSort: sort,
    });
  }

  private unindex(item: Item): void {
    const partition = item[indexPartitionKey];
    const sort = item[indexSortKey];
    if (typeof partition !== 'string' || typeof sort !== 'string') return;
    const entries = this.index.get(partition);
    entries?.delete(indexPosition(sort, item.PK, item.SK));
    if (entries?.size === 0) this.index.delete(partition);
  }
}

/**
 * Index entries order by their sort key, then the table keys, each compared
 * whole: a start key just past an entry's (its sort key and a `\u0000`) lands
 * after it, as in DynamoDB.
 */
const compareIndexEntries = (
  a: Pick<IndexEntry, 'indexSort' | 'PK' | 'SK'>,
  b: Pick<IndexEntry, 'indexSort' | 'PK' | 'SK'>,
): number => compareKeys(a.indexSort, b.indexSort) || compareKeys(a.PK, b.PK) || compareKeys(a.SK, b.SK);

/** Where an entry is filed in its index partition: unique per item. */
const indexPosition = (indexSort: string, pk: string, sk: string): string =>
  `${indexSort}\u0000${pk}\u0000${sk}`;

/** `#name = :value`: false for an absent item, as in DynamoDB. */
export const attributeIs =
  (name: string, value: unknown): Condition =>
  (current) =>
    current !== undefined && current[name] === value;

import { type AttributeValue, ReturnConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { z } from 'zod';
import { localCredentials, localRegion } from '../../infra/local/dynamodb-local.js';
import { createDynamoDbClient, documentClientFor } from '../../lib/adapters/dynamodb/document-client.js';
import { mustNotExist } from '../../lib/adapters/dynamodb/items.js';
import { listIndex } from '../../lib/adapters/dynamodb/keys.js';

/**
 * Consumed capacity, from a client middleware: what DynamoDB Local reports for
 * every read and write, and each transaction's cost by DynamoDB's documented
 * rule beside it (DynamoDB Local under-reports transactions). Shared by the
 * benchmarks that state write units.
 */

const readCommands = new Set([
  'GetItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'TransactGetItemsCommand',
]);
const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

export interface Units {
  table: number;
  gsi: number;
}

export interface Usage {
  /** What DynamoDB Local returned as ConsumedCapacity. */
  read: Units;
  write: Units;
  /**
   * Write units by DynamoDB's documented rule: DynamoDB Local's own figure for single-item
   * writes, and for a transaction two units per item and started KB, computed from the items.
   */
  documented: Units;
  /** Requests by command, e.g. `TransactWriteItems: 1`. */
  requests: Map<string, number>;
  /** Requests DynamoDB refused (a cancelled transaction, a failed condition): they report no capacity. */
  refused: Map<string, number>;
}

export const emptyUsage = (): Usage => ({
  read: { table: 0, gsi: 0 },
  write: { table: 0, gsi: 0 },
  documented: { table: 0, gsi: 0 },
  requests: new Map(),
  refused: new Map(),
});

export const bump = (counts: Map<string, number>, key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);

export const addUnits = (into: Units, from: Units) => {
  into.table += from.table;
  into.gsi += from.gsi;
};

export const addUsage = (into: Usage, from: Usage) => {
  addUnits(into.read, from.read);
  addUnits(into.write, from.write);
  addUnits(into.documented, from.documented);
  for (const [key, count] of from.requests) into.requests.set(key, (into.requests.get(key) ?? 0) + count);
  for (const [key, count] of from.refused) into.refused.set(key, (into.refused.get(key) ?? 0) + count);
};

export const total = (units: Units) => units.table + units.gsi;

const CapacityUnits = z.object({ CapacityUnits: z.number().optional() });
/** The part of DynamoDB's ConsumedCapacity the meter reads. */
const Capacity = CapacityUnits.extend({
  Table: CapacityUnits.optional(),
  GlobalSecondaryIndexes: z.record(z.string(), CapacityUnits).optional(),
});

const numberSize = (text: string): number => {
  const digits = text
    .replace(/[eE].*$/, '')
    .replace(/[-.]/g, '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
};

/** An attribute value's size as DynamoDB documents it ("Item sizes and formats"). */
const attributeSize = (value: AttributeValue): number => {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
  if (value.NS !== undefined) return value.NS.reduce((sum, entry) => sum + numberSize(entry), 0);
  if (value.BS !== undefined) return value.BS.reduce((sum, entry) => sum + entry.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((sum, entry) => sum + attributeSize(entry) + 1, 0);
  if (value.M !== undefined) return 3 + itemSize(value.M) + Object.keys(value.M).length;
  return 0;
};

export const itemSize = (item: Record<string, AttributeValue>): number =>
  Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + attributeSize(value),
    0,
  );

/** Write units an item costs in a transaction: two per started KB. */
export const transactionalUnits = (item: Record<string, unknown> | undefined): number =>
  2 * Math.max(1, Math.ceil(itemSize(marshall(item ?? {}, { removeUndefinedValues: true })) / 1024));

const indexKeyOf = (item: Record<string, unknown> | undefined): string | undefined => {
  const partition = item?.[listIndex.partitionKey];
  const sort = item?.[listIndex.sortKey];
  return typeof partition === 'string' && typeof sort === 'string' ? `${partition}\u0000${sort}` : undefined;
};

/**
 * Writes to the keys-only GSI1: none when the item's index keys stay as they were, one for an
 * entry added or removed, two for an entry moved (each entry is far below 1 KB).
 */
export const indexWrites = (
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
) => {
  const old = indexKeyOf(before);
  const next = indexKeyOf(after);
  return old === next ? 0 : (old === undefined ? 0 : 1) + (next === undefined ? 0 : 1);
};

const Key = z.record(z.string(), z.unknown());
/** The document client's TransactWriteItems input, as far as the estimate reads it (native values, not yet marshalled). */
const TransactWrite = z.object({
  TransactItems: z.array(
    z.object({
      Put: z
        .object({ TableName: z.string(), Item: Key, ConditionExpression: z.string().optional() })
        .optional(),
      Delete: z.object({ TableName: z.string(), Key }).optional(),
      Update: z.object({ TableName: z.string(), Key }).optional(),
      ConditionCheck: z.object({ TableName: z.string(), Key }).optional(),
    }),
  ),
});

/**
 * What a transaction costs by DynamoDB's documented rule, from its items and (for items it
 * replaces or deletes) the items as they are before it, read with a client that is not metered.
 */
const documentedTransactionCost = async (input: unknown, reader: DynamoDBDocumentClient): Promise<Units> => {
  const current = async (tableName: string, key: Record<string, unknown>) =>
    (await reader.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const costs = await Promise.all(
    TransactWrite.parse(input).TransactItems.map(async (action): Promise<Units> => {
      if (action.Put !== undefined) {
        const { TableName, Item, ConditionExpression } = action.Put;
        // A put that must not find an item replaces nothing; any other may replace one.
        const before =
          ConditionExpression === mustNotExist
            ? undefined
            : await current(TableName, { PK: Item.PK, SK: Item.SK });
        // Replacing an item costs the larger of the two.
        return {
          table: Math.max(transactionalUnits(Item), before === undefined ? 0 : transactionalUnits(before)),
          gsi: indexWrites(before, Item),
        };
      }
      if (action.Delete !== undefined) {
        const before = await current(action.Delete.TableName, action.Delete.Key);
        return { table: transactionalUnits(before), gsi: indexWrites(before, undefined) };
      }
      // An update's new size is not known before it runs: its old size stands in (none on these paths).
      const other = action.Update ?? action.ConditionCheck;
      if (other === undefined) return { table: 0, gsi: 0 };
      return { table: transactionalUnits(await current(other.TableName, other.Key)), gsi: 0 };
    }),
  );
  return costs.reduce((sum, cost) => ({ table: sum.table + cost.table, gsi: sum.gsi + cost.gsi }), {
    table: 0,
    gsi: 0,
  });
};

export class CapacityMeter {
  private usage = emptyUsage();

  /** Everything since the last take, and starts again from nothing. */
  take(): Usage {
    const taken = this.usage;
    this.usage = emptyUsage();
    return taken;
  }

  record(command: string, consumed: unknown, documented: Units | undefined): void {
    const name = command.replace(/Command$/, '');
    bump(this.usage.requests, name);
    const isWrite = writeCommands.has(command);
    const reported = { table: 0, gsi: 0 };
    const entries = Capacity.array().parse(
      Array.isArray(consumed) ? consumed : consumed === undefined ? [] : [consumed],
    );
    for (const entry of entries) {
      const indexes = Object.values(entry.GlobalSecondaryIndexes ?? {}).reduce(
        (sum, index) => sum + (index.CapacityUnits ?? 0),
        0,
      );
      // With INDEXES the table's own share is given apart; without it, only the total.
      reported.table += entry.Table?.CapacityUnits ?? (entry.CapacityUnits ?? 0) - indexes;
      reported.gsi += indexes;
    }
    addUnits(isWrite ? this.usage.write : this.usage.read, reported);
    if (isWrite) addUnits(this.usage.documented, documented ?? reported);
  }

  refused(command: string): void {
    const name = command.replace(/Command$/, '');
    bump(this.usage.requests, name);
    bump(this.usage.refused, name);
  }
}

/**
 * A client whose every read and write asks for its consumed capacity (per table and index) and
 * reports it to `meter`, with each transaction's cost by the documented rule beside it. Only for
 * document clients: the transaction estimate reads native values.
 */
export const meteredClient = (endpoint: string, meter: CapacityMeter) => {
  const connection = { region: localRegion, endpoint, credentials: localCredentials };
  const reader = createDynamoDbClient(connection);
  const readerDocuments = documentClientFor(reader);
  const client = createDynamoDbClient(connection);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const command = context.commandName ?? 'unknown';
      const measured = readCommands.has(command) || writeCommands.has(command);
      const documented =
        command === 'TransactWriteItemsCommand'
          ? await documentedTransactionCost(args.input, readerDocuments)
          : undefined;
      try {
        const result = await next(
          measured
            ? { ...args, input: { ...args.input, ReturnConsumedCapacity: ReturnConsumedCapacity.INDEXES } }
            : args,
        );
        const output = result.output;
        if (measured)
          meter.record(
            command,
            typeof output === 'object' && output !== null && 'ConsumedCapacity' in output
              ? output.ConsumedCapacity
              : undefined,
            documented,
          );
        return result;
      } catch (error) {
        if (measured) meter.refused(command);
        throw error;
      }
    },
    { step: 'initialize', name: 'benchConsumedCapacity' },
  );
  return {
    client,
    destroy: () => {
      client.destroy();
      reader.destroy();
    },
  };
};

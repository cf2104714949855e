import { describe, expect, it } from 'vitest';
import { TransactionTooLargeError } from '../../lib/adapters/dynamodb/transaction-limits.js';
import { UnstorableItemError } from '../../lib/domain/errors.js';

type Item = Record<string, unknown> & { PK: string; SK: string };

/** The table under the adapters, reached the way the adapters' transactions reach it. */
export interface StorageUnderTest {
  /** A transaction of puts, each optionally only where no item is; undefined when it committed. */
  transact(
    puts: Array<{ item: Item; onlyIfAbsent?: boolean }>,
  ): Promise<{ failedConditions: number[] } | undefined>;
  get(key: { PK: string; SK: string }): Promise<Record<string, unknown> | undefined>;
  /** One PutItem, as the adapters write an item on its own. */
  put(item: Item): Promise<void>;
}

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { inner: nested(depth - 1) });
const nestedList = (depth: number): unknown => (depth === 0 ? 'leaf' : [nestedList(depth - 1)]);
/** An item of exactly `bytes` as DynamoDB counts them: names and values, with keys `X` and `B`. */
const itemOfBytes = (sk: string, bytes: number): Item => ({
  PK: 'X',
  SK: sk,
  big: 'x'.repeat(bytes - 6 - sk.length + 1 - 3),
});

/**
 * What DynamoDB holds and refuses, and how its transactions answer: measured on
 * DynamoDB Local, and the limits the memory table keeps (lib/adapters/memory/item-limits.ts).
 */
export const storageLimitsContract = (name: string, make: () => Promise<StorageUnderTest>) =>
  describe(name, () => {
    const put = async (item: Record<string, unknown>) =>
      (await make()).transact([{ item: { PK: 'X', SK: String(Math.random()), ...item } }]);

    const unstorable: Array<[string, Record<string, unknown>]> = [
      ['an integer past 2^53', { n: Number('12345678901234567') }],
      ['a total of 1e16', { n: 1e16 }],
      ['a number below its range', { n: 1e-200 }],
      ['a number just below its range', { n: 9e-131 }],
      ['a number that is not one', { n: Number.NaN }],
      ['a map nested 32 levels deep', { deep: nested(32) }],
      ['a list nested 32 levels deep', { deep: nestedList(32) }],
      ['an item over 400 KB', { big: 'x'.repeat(410 * 1024) }],
      ['an empty index key', { GSI1PK: '', GSI1SK: 'x' }],
      ['an empty name in a map', { condition: { 'contact.name': 'Ann', constructor: [{ '': 0 }] } }],
    ];

    it.each(unstorable)('refuses %s as unstorable', async (_name, item) => {
      await expect(put(item)).rejects.toBeInstanceOf(UnstorableItemError);
    });

    it.each(unstorable)('refuses %s as unstorable in a write of one item too', async (_name, item) => {
      const storage = await make();
      await expect(storage.put({ PK: 'X', SK: 'single', ...item })).rejects.toBeInstanceOf(
        UnstorableItemError,
      );
      expect(await storage.get({ PK: 'X', SK: 'single' })).toBeUndefined();
    });

    it('holds what it can: the largest safe integer, 1e-130, 31 levels, exactly 400 KB', async () => {
      const storage = await make();
      await expect(
        storage.transact([
          { item: { PK: 'X', SK: 'numbers', n: 2 ** 53 - 1, small: 1e-100, smallest: 1e-130 } },
          { item: { PK: 'X', SK: 'deep', map: nested(31), list: nestedList(31) } },
          { item: itemOfBytes('B', 400 * 1024) },
        ]),
      ).resolves.toBeUndefined();
      await expect(storage.transact([{ item: itemOfBytes('C', 400 * 1024 + 1) }])).rejects.toBeInstanceOf(
        UnstorableItemError,
      );
      expect(await storage.get({ PK: 'X', SK: 'numbers' })).toMatchObject({
        n: 2 ** 53 - 1,
        smallest: 1e-130,
      });
    });

    it('counts a map’s and a list’s own bytes, and a number’s by its digits, toward the 400 KB', async () => {
      const storage = await make();
      // Keys 6 bytes, the name 1, a map or list 3 and 1 per element, the inner name 1.
      await expect(
        storage.transact([{ item: { PK: 'X', SK: 'B', m: { a: 'x'.repeat(409_588) } } }]),
      ).resolves.toBeUndefined();
      await expect(
        storage.transact([{ item: { PK: 'X', SK: 'B', m: { a: 'x'.repeat(409_589) } } }]),
      ).rejects.toBeInstanceOf(UnstorableItemError);
      await expect(
        storage.transact([{ item: { PK: 'X', SK: 'B', l: ['x'.repeat(409_589)] } }]),
      ).resolves.toBeUndefined();
      await expect(
        storage.transact([{ item: { PK: 'X', SK: 'B', l: ['x'.repeat(409_590)] } }]),
      ).rejects.toBeInstanceOf(UnstorableItemError);
      // 15 digits: 8 bytes and 1.
      await expect(
        storage.transact([{ item: { PK: 'X', SK: 'B', big: 'x'.repeat(409_581), n: 123_456_789_012_345 } }]),
      ).resolves.toBeUndefined();
      await expect(
        storage.transact([{ item: { PK: 'X', SK: 'B', big: 'x'.repeat(409_582), n: 123_456_789_012_345 } }]),
      ).rejects.toBeInstanceOf(UnstorableItemError);
    });

    it('finds nothing by a key longer than any key can be', async () => {
      const storage = await make();

      expect(await storage.get({ PK: 'P'.repeat(2049), SK: 'X' })).toBeUndefined();
      expect(await storage.get({ PK: 'X', SK: 'S'.repeat(1025) })).toBeUndefined();
    });

    it('keeps no undefined attribute, in maps and lists alike', async () => {
      const storage = await make();
      await storage.transact([
        {
          item: {
            PK: 'X',
            SK: 'holes',
            gone: undefined,
            map: { gone: undefined, kept: 1 },
            list: [1, undefined, 2],
          },
        },
      ]);

      expect(await storage.get({ PK: 'X', SK: 'holes' })).toEqual({
        PK: 'X',
        SK: 'holes',
        map: { kept: 1 },
        list: [1, 2],
      });
    });

    describe('a transaction', () => {
      it('writes nothing when a condition fails, and names every write whose condition failed', async () => {
        const storage = await make();
        await storage.transact([{ item: { PK: 'E', SK: '1' } }, { item: { PK: 'E', SK: '2' } }]);

        expect(
          await storage.transact([
            { item: { PK: 'E', SK: '1', v: 1 }, onlyIfAbsent: true },
            { item: { PK: 'E', SK: '3', v: 1 }, onlyIfAbsent: true },
            { item: { PK: 'E', SK: '2', v: 1 }, onlyIfAbsent: true },
          ]),
        ).toEqual({ failedConditions: [0, 2] });
        expect(await storage.get({ PK: 'E', SK: '3' })).toBeUndefined();
        expect(await storage.get({ PK: 'E', SK: '1' })).toEqual({ PK: 'E', SK: '1' });
      });

      it('refuses two writes of one item as unstorable', async () => {
        const storage = await make();
        await expect(
          storage.transact([{ item: { PK: 'D', SK: 'D' } }, { item: { PK: 'D', SK: 'D', x: 1 } }]),
        ).rejects.toBeInstanceOf(UnstorableItemError);
        expect(await storage.get({ PK: 'D', SK: 'D' })).toBeUndefined();
      });

      it('holds at most 100 writes', async () => {
        const storage = await make();
        const puts = (count: number) =>
          Array.from({ length: count }, (_, index) => ({ item: { PK: 'M', SK: `${count}-${index}` } }));
        await expect(storage.transact(puts(101))).rejects.toBeInstanceOf(TransactionTooLargeError);
        await expect(storage.transact(puts(100))).resolves.toBeUndefined();
      });
    });
  });

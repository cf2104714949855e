import { beforeEach, describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../lib/domain/dead-letter.js';
import { newId } from '../support/builders.js';
import type { ContractStores, MakeStores } from './stores.js';

/** A stream record as Lambda hands it over, nested as deep as `depth` maps. */
const streamRecord = (depth = 1) => {
  let value: Record<string, unknown> = { S: 'bottom' };
  for (let level = 0; level < depth; level += 1) value = { M: { [`level${level}`]: value } };
  return {
    eventID: 'f0c1',
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { PK: { S: 'C#01JD0000000000000000000001' }, SK: { S: 'MSG#welcome#e1#mail#1' } },
      NewImage: { data: value, count: { N: '12345678901234567890' } },
      SequenceNumber: '000000000000000000042',
    },
  };
};

const aDeadLetter = (overrides: Partial<DeadLetter> = {}): DeadLetter => ({
  id: newId(),
  at: '2026-11-23T12:00:00.000Z',
  functionName: 'deliver',
  redriveAs: 'stream-record',
  record: streamRecord(),
  reason:
    'TemplateMissingError: message welcome#e1#mail#1 names template "welcome-mail", which has no published version',
  redrives: 0,
  ...overrides,
});

/** DeadLetterStore: kept as written, listed in the order they came, counted when a redrive fails. */
export const deadLetterStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('lists nothing, with no next page, before anything failed', async () => {
      expect(await stores.deadLetters.list(10)).toEqual({ deadLetters: [], next: null });
    });

    it('gives a dead letter back as it was written, its record intact', async () => {
      const letter = aDeadLetter();
      await stores.deadLetters.put(letter);

      expect(await stores.deadLetters.get(letter.id)).toEqual(letter);
    });

    it('keeps a record nested deeper than a DynamoDB map may be, and a number no JavaScript number holds', async () => {
      const letter = aDeadLetter({ record: streamRecord(40) });
      await stores.deadLetters.put(letter);

      expect((await stores.deadLetters.get(letter.id))?.record).toEqual(streamRecord(40));
    });

    it('keeps one whose record could not be kept, without a record, saying why', async () => {
      const { record: _record, ...rest } = aDeadLetter();
      const letter: DeadLetter = {
        ...rest,
        recordMissing: 'the stream no longer holds sequence numbers 100 to 180 of shard shardId-1',
      };
      await stores.deadLetters.put(letter);

      const kept = await stores.deadLetters.get(letter.id);
      expect(kept).toEqual(letter);
      expect(kept).not.toHaveProperty('record');
    });

    it('knows no dead letter it was never given', async () => {
      expect(await stores.deadLetters.get(newId())).toBeUndefined();
    });

    it('refuses a second dead letter with an id it holds, and keeps the first', async () => {
      const first = aDeadLetter();
      await stores.deadLetters.put(first);

      await expect(stores.deadLetters.put({ ...first, reason: 'something else' })).rejects.toThrow();
      expect(await stores.deadLetters.get(first.id)).toEqual(first);
    });

    it('lists oldest first, whatever order they were written in, and pages through each once', async () => {
      const letters = Array.from({ length: 5 }, () => aDeadLetter());
      for (const letter of [...letters].reverse()) await stores.deadLetters.put(letter);

      const seen: string[] = [];
      let page = await stores.deadLetters.list(2);
      seen.push(...page.deadLetters.map((letter) => letter.id));
      while (page.next !== null) {
        page = await stores.deadLetters.list(2, page.next);
        seen.push(...page.deadLetters.map((letter) => letter.id));
      }

      expect(seen).toEqual(letters.map((letter) => letter.id));
    });

    it('counts a failed redrive and keeps its error, the record untouched', async () => {
      const letter = aDeadLetter();
      await stores.deadLetters.put(letter);

      await stores.deadLetters.recordFailedRedrive(letter.id, {
        at: '2026-11-23T13:00:00.000Z',
        error: 'first',
      });
      const after = await stores.deadLetters.recordFailedRedrive(letter.id, {
        at: '2026-11-23T14:00:00.000Z',
        error: 'TemplateMissingError: still missing',
      });

      const expected = {
        ...letter,
        redrives: 2,
        lastRedrive: { at: '2026-11-23T14:00:00.000Z', error: 'TemplateMissingError: still missing' },
      };
      expect(after).toEqual(expected);
      expect(await stores.deadLetters.get(letter.id)).toEqual(expected);
    });

    it('does not bring a removed dead letter back by counting a redrive of it', async () => {
      const letter = aDeadLetter();
      await stores.deadLetters.put(letter);
      await stores.deadLetters.remove(letter.id);

      expect(
        await stores.deadLetters.recordFailedRedrive(letter.id, {
          at: '2026-11-23T13:00:00.000Z',
          error: 'x',
        }),
      ).toBeUndefined();
      expect(await stores.deadLetters.get(letter.id)).toBeUndefined();
    });

    it('removes one dead letter and leaves the others; removing it again does nothing', async () => {
      const [gone, kept] = [aDeadLetter(), aDeadLetter()];
      await stores.deadLetters.put(gone);
      await stores.deadLetters.put(kept);

      await stores.deadLetters.remove(gone.id);
      await stores.deadLetters.remove(gone.id);

      expect((await stores.deadLetters.list(10)).deadLetters).toEqual([kept]);
    });

    it('lets the table expire a dead letter 14 days after it was written, as SQS would its message', async () => {
      const letter = aDeadLetter({ at: '2026-11-23T12:00:00.000Z' });
      await stores.deadLetters.put(letter);

      const [item] = await stores.table.query('DEADLETTERS');
      expect(item?.expiresAt).toBe(Date.parse('2026-12-07T12:00:00.000Z') / 1000);
    });
  });

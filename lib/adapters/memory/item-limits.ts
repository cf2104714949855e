import { UnstorableItemError } from '../../domain/errors.js';
import { maxPartitionKeyBytes, maxSortKeyBytes } from '../dynamodb/impossible-keys.js';

/**
 * What the DynamoDB document client and DynamoDB itself do to an item on the way
 * in, so the memory table stores what the real one would and refuses what it
 * would refuse, with the same words. Measured against DynamoDB Local; the
 * storage-limits contract (test/contracts/storage-limits.contract.ts) runs the
 * same cases against both.
 */

/** 400 KB, counted as DynamoDB counts it: attribute names plus values, in UTF-8 bytes. */
export const maxItemBytes = 400 * 1024;
/** Maps and lists inside one attribute; the 32nd level is refused. */
export const maxNestedLevels = 31;
/** The smallest magnitude DynamoDB stores besides zero. */
const smallestMagnitude = 1e-130;

const keyAttributes = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK']);

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

function refuse(message: string): never {
  throw new UnstorableItemError(message);
}

/** 1 byte per two significant digits, plus one (DynamoDB's documented rule). */
const numberBytes = (value: number): number => {
  const [mantissa = ''] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
};

const checkNumber = (value: number): void => {
  // The document client's refusals come first: it will not send what it cannot write exactly.
  if (!Number.isFinite(value)) refuse(`Special numeric value ${value.toString()} is not allowed`);
  if (value > Number.MAX_SAFE_INTEGER)
    refuse(
      `Number ${value} is greater than Number.MAX_SAFE_INTEGER. Use NumberValue from @aws-sdk/lib-dynamodb.`,
    );
  if (value < Number.MIN_SAFE_INTEGER)
    refuse(
      `Number ${value} is lesser than Number.MIN_SAFE_INTEGER. Use NumberValue from @aws-sdk/lib-dynamodb.`,
    );
  if (value !== 0 && Math.abs(value) < smallestMagnitude)
    refuse('Number underflow. Attempting to store a number with magnitude smaller than supported range');
};

interface Stored {
  value: unknown;
  bytes: number;
}

/**
 * A copy of the value as DynamoDB keeps it, with its size: undefined and
 * functions dropped from maps and lists (removeUndefinedValues), objects of any
 * class kept as maps of their enumerable properties (convertClassInstanceToMap).
 */
const store = (value: unknown, level: number): Stored | undefined => {
  if (value === undefined || typeof value === 'function') return undefined;
  if (value === null) return { value: null, bytes: 1 };
  if (typeof value === 'string') return { value, bytes: utf8Bytes(value) };
  if (typeof value === 'boolean') return { value, bytes: 1 };
  if (typeof value === 'number') {
    checkNumber(value);
    return { value: Object.is(value, -0) ? 0 : value, bytes: numberBytes(value) };
  }
  if (typeof value === 'bigint') return refuse(`a bigint (${value}) is not stored by this table`);
  if (typeof value !== 'object') return refuse(`Unsupported type passed: ${String(value)}`);
  if (level > maxNestedLevels)
    refuse(
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
  if (Array.isArray(value)) {
    const elements = value.flatMap((element) => {
      const stored = store(element, level + 1);
      return stored === undefined ? [] : [stored];
    });
    return {
      value: elements.map((element) => element.value),
      bytes: 3 + elements.reduce((sum, element) => sum + 1 + element.bytes, 0),
    };
  }
  const entries: Array<[string, unknown]> = [];
  let bytes = 3;
  for (const name in value) {
    const stored = store(Reflect.get(value, name), level + 1);
    if (stored === undefined) continue;
    // DynamoDB takes no empty attribute name, in a map at any depth as at the top.
    if (name === '') refuse('Empty attribute name');
    entries.push([name, stored.value]);
    bytes += 1 + utf8Bytes(name) + stored.bytes;
  }
  // fromEntries defines each key as data, so a key named `__proto__` stays a key.
  return { value: Object.fromEntries(entries), bytes };
};

/**
 * The item as the table keeps it, or UnstorableItemError for what DynamoDB would
 * refuse to hold: over 400 KB, nested too deep, a number out of range, an empty
 * or oversized key, an empty name in a map. The result shares nothing with the argument.
 */
export const toStoredItem = (item: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const entries: Array<[string, unknown]> = [];
  let bytes = 0;
  for (const name in item) {
    const raw = Reflect.get(item, name);
    if (keyAttributes.has(name) && raw !== undefined) {
      if (typeof raw !== 'string' || raw === '')
        refuse(
          `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
        );
      const limit = name === 'SK' || name === 'GSI1SK' ? maxSortKeyBytes : maxPartitionKeyBytes;
      if (utf8Bytes(raw) > limit)
        refuse(`One or more parameter values were invalid: Size of key ${name} exceeds ${limit} bytes`);
    }
    const stored = store(raw, 1);
    if (stored === undefined) continue;
    entries.push([name, stored.value]);
    bytes += utf8Bytes(name) + stored.bytes;
  }
  if (bytes > maxItemBytes) refuse('Item size has exceeded the maximum allowed size');
  return Object.fromEntries(entries);
};

import { isDeepStrictEqual } from 'node:util';

/**
 * Equal as stored: DynamoDB drops undefined attributes and ignores key order, so
 * both sides go through JSON before comparing.
 */
export const sameContent = (left: unknown, right: unknown): boolean =>
  isDeepStrictEqual(JSON.parse(JSON.stringify(left)), JSON.parse(JSON.stringify(right)));

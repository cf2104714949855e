import type { SoftBounce } from '../../ports/soft-bounce-log.js';
import type { ItemType } from './items.js';
import { keys, ttlAttribute } from './keys.js';
import { addressHash } from './suppression-items.js';

/** The partition of an email address's soft bounces: its hash, never the address itself. */
export const softBouncePartition = (address: string): string =>
  keys.softBouncePartition(addressHash('email', address));

export const softBounceItem = (address: string, bounce: SoftBounce, expiresAt: number) => ({
  ...keys.softBounce(addressHash('email', address), bounce.mailId),
  type: 'soft-bounce' satisfies ItemType,
  ...bounce,
  [ttlAttribute]: expiresAt,
});

/** Oldest first; two bounces at one time by mail id, so the order is stable. */
export const inRecordedOrder = (a: SoftBounce, b: SoftBounce): number =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.mailId < b.mailId ? -1 : a.mailId > b.mailId ? 1 : 0;

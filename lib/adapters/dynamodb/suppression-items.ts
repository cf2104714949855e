import { createHash } from 'node:crypto';
import { normalizeEmail } from '../../domain/contact.js';
import type { Suppression } from '../../ports/suppression-store.js';
import type { ItemType } from './items.js';
import { keys, ttlAttribute } from './keys.js';

type Channel = Suppression['channel'];

/** Callers pass normalized addresses; normalizing emails again here costs nothing and closes a case gap. */
const normalized = (channel: Channel, address: string): string =>
  channel === 'email' ? normalizeEmail(address) : address;

/** The record of an address suppressed in the clear. */
export const suppressionKey = (channel: Channel, address: string) =>
  keys.suppression(channel, normalized(channel, address));

/** SHA-256 (hex) of the normalized address: what is kept of an erased contact's address. */
export const addressHash = (channel: Channel, address: string): string =>
  createHash('sha256').update(normalized(channel, address)).digest('hex');

/** The record of an erased contact's address, by its hash. */
export const hashedSuppressionKey = (channel: Channel, address: string) =>
  keys.hashedSuppression(channel, addressHash(channel, address));

/**
 * One time format throughout, so the stores can compare times as strings (in a
 * condition, DynamoDB compares them so).
 */
export const isoTime = (iso: string): string => new Date(iso).toISOString();

/**
 * The item of a suppression in the clear. A temporary one carries `expiresAt`
 * too, so TTL cleans it up some time after its `until`; whether it holds is
 * always read from `until`, since TTL deletes late.
 */
export const suppressionItem = (suppression: Suppression) => ({
  ...suppressionKey(suppression.channel, suppression.address),
  type: 'suppression' satisfies ItemType,
  ...suppression,
  ...(suppression.until === undefined
    ? {}
    : {
        until: isoTime(suppression.until),
        [ttlAttribute]: Math.ceil(Date.parse(suppression.until) / 1000),
      }),
});

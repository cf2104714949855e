import { createHash } from 'node:crypto';

/**
 * A number in [0, 1) that depends only on its parts: random splits and holdouts
 * use it so the same contact always lands on the same side, on every replay.
 */
export const unitHash = (...parts: string[]): number =>
  createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0) / 2 ** 32;

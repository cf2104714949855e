import { DeadLetter, type DeadLetterId, deadLetterRetentionDays } from '../../domain/dead-letter.js';
import type { ItemType } from './items.js';
import { ttlAttribute } from './keys.js';

/**
 * Dead letters are one partition, sorted by id (a ULID, so by time): they come
 * rarely, an operator reads them oldest first, and a redrive of all of them walks
 * them in the order they failed, which keeps one contact's records in order.
 */
export const deadLetterPartition = 'DEADLETTERS';

export const deadLetterKey = (id: DeadLetterId) => ({ PK: deadLetterPartition, SK: id });

/**
 * The record is kept as JSON text: a stream record wraps every level of its item
 * in a type (`{"M": …}`), which would take an item nested half as deep as DynamoDB
 * allows past its limit as a map. It expires with the retention, like an SQS message.
 */
export const deadLetterItem = ({ record, ...letter }: DeadLetter) => ({
  ...deadLetterKey(letter.id),
  type: 'dead-letter' satisfies ItemType,
  ...letter,
  ...(record === undefined ? {} : { recordJson: JSON.stringify(record) }),
  [ttlAttribute]: Math.floor(Date.parse(letter.at) / 1000) + deadLetterRetentionDays * 86_400,
});

export const deadLetterFromItem = (item: Record<string, unknown>): DeadLetter => {
  const { PK: _pk, SK: _sk, type: _type, [ttlAttribute]: _expires, recordJson, ...letter } = item;
  return DeadLetter.parse({
    ...letter,
    ...(typeof recordJson === 'string' ? { record: JSON.parse(recordJson) } : {}),
  });
};

import type { ContactListPosition } from '../../domain/contact-listing.js';
import type { JobCursor } from '../../domain/journey-job.js';
import { keys, listIndex, listIndexKeys } from './keys.js';

/**
 * A list position as the index's start key, built from the shard and the
 * contact id alone: whatever a caller put in the position, the query starts
 * inside that shard of the contacts list.
 */
export const contactListCursor = ({ shard, after }: ContactListPosition): JobCursor => ({
  shard,
  ...(after === undefined
    ? {}
    : {
        after: {
          ...keys.contact(after),
          [listIndex.partitionKey]: listIndexKeys.contactPartition(shard),
          [listIndex.sortKey]: after,
        },
      }),
});

/** The index's start key back as a position: the shard and the last contact read there. */
export const contactListPosition = (cursor: JobCursor): ContactListPosition => {
  const after = cursor.after?.[listIndex.sortKey];
  return { shard: cursor.shard, ...(after === undefined ? {} : { after }) };
};

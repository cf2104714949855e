import { readdirSync, readFileSync } from 'node:fs';
import { BlockList } from 'node:net';
import { endianness } from 'node:os';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DynamoDbLocal,
  localCredentials,
  localRegion,
  startDynamoDbLocal,
} from '../../../infra/local/dynamodb-local.js';
import { freePort } from '../../../infra/local/free-port.js';

const listenState = '0A';

/**
 * /proc/net/tcp{,6} print each 32-bit word of an address in host byte order; turned back into
 * network order, a v4-mapped IPv6 address is read as the IPv4 address it carries.
 */
const addressFromProc = (hex: string): { address: string; family: 'ipv4' | 'ipv6' } => {
  const bytes = Buffer.from(hex, 'hex');
  if (endianness() === 'LE') {
    for (let word = 0; word < bytes.length; word += 4) bytes.subarray(word, word + 4).reverse();
  }
  const v4Mapped =
    bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes.readUInt16BE(10) === 0xffff;
  const ipv4 = bytes.length === 4 ? bytes : v4Mapped ? bytes.subarray(12) : undefined;
  if (ipv4 !== undefined) return { address: [...ipv4].join('.'), family: 'ipv4' };
  const groups: string[] = [];
  for (let at = 0; at < 16; at += 2) groups.push(bytes.readUInt16BE(at).toString(16));
  return { address: groups.join(':'), family: 'ipv6' };
};

/** Every address a socket listens on at `port`, from the kernel's own tables: no `ss` on a bare CI machine. */
const listeningAddresses = (port: number): Array<{ address: string; family: 'ipv4' | 'ipv6' }> =>
  ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(
        ([, local, , state]) =>
          state === listenState && local?.endsWith(`:${port.toString(16).toUpperCase().padStart(4, '0')}`),
      )
      .map(([, local = '']) => addressFromProc(local.split(':')[0] ?? '')),
  );

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The command line of the process started with `-port <port>`, to see the options it was given. */
const commandLineWithPort = (port: number): string[] | undefined => {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // gone since the listing
    }
    const portAt = args.indexOf('-port');
    if (portAt >= 0 && args[portAt + 1] === String(port)) return args;
  }
  return undefined;
};

describe.skipIf(process.platform !== 'linux')('when DynamoDB Local starts', () => {
  let port: number;
  let dynamo: DynamoDbLocal;
  const warnings: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    dynamo = await startDynamoDbLocal({ port, warn: (line) => warnings.push(line) });
  });

  afterAll(async () => {
    await dynamo?.stop();
  });

  it('listens on the loopback address only', () => {
    const addresses = listeningAddresses(port);
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.filter(({ address, family }) => !loopback.check(address, family))).toEqual([]);
    expect(dynamo.loopbackOnly).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('answers requests on 127.0.0.1', async () => {
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    try {
      await expect(client.send(new ListTablesCommand({}))).resolves.toMatchObject({ TableNames: [] });
    } finally {
      client.destroy();
    }
  });

  it('runs with telemetry disabled', () => {
    expect(commandLineWithPort(port)).toContain('-disableTelemetry');
  });
});

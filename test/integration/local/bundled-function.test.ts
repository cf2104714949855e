import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/cloud/constructs/repo-root.js';
import {
  type BundledFunction,
  bundledFunction,
  FunctionInitError,
  FunctionRuntimeExitedError,
} from '../../../infra/local/bundled-function.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { createTaskRoots, type TaskRoots } from '../../../infra/local/task-roots.js';

/**
 * Bundles written by hand, run as `npm start -- --bundles` runs the ones cdk synth
 * makes: unpacked into a folder of their own and started in an execution
 * environment of their own.
 */
const bundles: Record<string, Record<string, string>> = {
  greeter: {
    'index.mjs': `
      import { readFileSync } from 'node:fs';
      import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
      const shipped = JSON.parse(readFileSync(new URL('./content/greeting.json', import.meta.url), 'utf8'));
      const environmentId = Math.random();
      let invocations = 0;
      export const handler = async (event, context) => {
        invocations += 1;
        if (event.fail) {
          const error = new Error('no contact ' + event.fail);
          error.name = 'NotFoundError';
          throw error;
        }
        if (event.exit) process.exit(3);
        return {
          greeting: process.env.GREETING,
          home: process.env.HOME ?? null,
          sdk: typeof DynamoDBClient,
          shipped,
          echoed: event,
          functionName: context.functionName,
          timeLeft: context.getRemainingTimeInMillis() > 0,
          environmentId,
          invocations,
        };
      };`,
    'content/greeting.json': '{"text":"hello"}',
  },
  'needs-liquid': {
    // A dependency esbuild would have had to bundle: the repository has it, the task root does not.
    'index.mjs': `import { Liquid } from 'liquidjs'; export const handler = async () => typeof Liquid;`,
  },
  'no-handler': {
    'index.mjs': 'export const main = async () => 1;',
  },
};

let assembly: string;
let taskRoots: TaskRoots;
const started: BundledFunction[] = [];

beforeAll(async () => {
  assembly = await mkdtemp(join(tmpdir(), 'rapport-hand-bundles-'));
  for (const [name, files] of Object.entries(bundles)) {
    for (const [file, text] of Object.entries(files)) {
      await mkdir(join(assembly, name, file, '..'), { recursive: true });
      await writeFile(join(assembly, name, file), text);
    }
  }
  taskRoots = await createTaskRoots(join(repoRoot, 'node_modules', '@aws-sdk'));
});
afterAll(async () => {
  await Promise.all(started.map((fn) => fn.stop()));
  await taskRoots.remove();
  await rm(assembly, { recursive: true, force: true });
});

const start = async (name: string, environment: Record<string, string> = {}) => {
  const fn = bundledFunction({
    functionName: name,
    // Each start its own folder, as each function has its own in a stack.
    taskRoot: await taskRoots.stage(`${name}-${started.length}`, join(assembly, name)),
    handler: 'index.handler',
    environment,
  });
  started.push(fn);
  return (event: unknown) =>
    fn.handler(event, lambdaContext({ functionName: name, memoryMb: 128, timeoutSeconds: 3 }, 'us-east-1'));
};

describe('a function run from its bundle', () => {
  it("sees its own environment only, the runtime's AWS SDK, and the files shipped beside it", async () => {
    const greeter = await start('greeter', { GREETING: 'hi' });

    expect(await greeter({ contact: 'ann' })).toMatchObject({
      greeting: 'hi',
      home: null,
      sdk: 'function',
      shipped: { text: 'hello' },
      echoed: { contact: 'ann' },
      functionName: 'greeter',
      timeLeft: true,
    });
  });

  it('loads once, at its first invocation, and keeps its module for the next ones', async () => {
    const greeter = await start('greeter');

    const first = await greeter({});
    const second = await greeter({});

    expect(second).toMatchObject({ environmentId: (first as { environmentId: number }).environmentId });
    expect(second).toMatchObject({ invocations: 2 });
  });

  it("fails an invocation with the handler's error, by name, and takes the next one", async () => {
    const greeter = await start('greeter');

    await expect(greeter({ fail: 'ann@example.com' })).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'no contact ann@example.com',
    });
    expect(await greeter({})).toMatchObject({ invocations: 2 });
  });

  describe('when its execution environment dies mid-invocation', () => {
    it('fails that invocation, and the next one starts a fresh environment', async () => {
      const greeter = await start('greeter');
      const before = await greeter({});

      await expect(greeter({ exit: true })).rejects.toThrow(FunctionRuntimeExitedError);
      const after = await greeter({});

      expect(after).toMatchObject({ invocations: 1 });
      expect(after).not.toMatchObject({ environmentId: (before as { environmentId: number }).environmentId });
    });
  });

  describe('when the bundle imports a package it does not carry', () => {
    it('fails its cold start naming the package, as in AWS, though the repository has it', async () => {
      const needsLiquid = await start('needs-liquid');

      await expect(needsLiquid({})).rejects.toThrow(FunctionInitError);
      await expect(needsLiquid({})).rejects.toThrow(/liquidjs/);
    });
  });

  describe('when the bundle has no export by the handler setting', () => {
    it('fails its cold start naming the export', async () => {
      const noHandler = await start('no-handler');

      await expect(noHandler({})).rejects.toThrow(/does not export a function named "handler"/);
    });
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/cloud/constructs/repo-root.js';
import { type BundledFunction, bundledFunction } from '../../../infra/local/bundled-function.js';
import { lambdaContext } from '../../../infra/local/lambda-invoke.js';
import { type NoStandIn, startNoStandIn } from '../../../infra/local/no-stand-in.js';
import { createTaskRoots, type TaskRoots } from '../../../infra/local/task-roots.js';
import { resolveTemplateValue } from '../../../infra/local/template-environment.js';

/** A bundle whose clients for Lambda and SQS are given no endpoint, as the dead-letter functions' are. */
const callsAws = `
  import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
  import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const outcome = (call) => call.then(() => 'answered', (error) => error.name + ': ' + error.message);
  export const handler = async () => ({
    lambda: await outcome(new LambdaClient({ region: 'us-east-1', credentials }).send(new InvokeCommand({ FunctionName: 'deliver' }))),
    sqs: await outcome(new SQSClient({ region: 'us-east-1', credentials }).send(new ReceiveMessageCommand({ QueueUrl: process.env.QUEUE_URL }))),
  });`;

let elsewhere: NoStandIn;
let folder: string;
let taskRoots: TaskRoots;
let fn: BundledFunction;

beforeAll(async () => {
  elsewhere = await startNoStandIn({ port: 0 });
  folder = await mkdtemp(join(tmpdir(), 'rapport-calls-aws-'));
  await writeFile(join(folder, 'index.mjs'), callsAws);
  taskRoots = await createTaskRoots(join(repoRoot, 'node_modules', '@aws-sdk'));
  const queueUrl = resolveTemplateValue(
    { Ref: 'StreamsDeadLetterQueue' },
    { StreamsDeadLetterQueue: { Type: 'AWS::SQS::Queue', Properties: {} } },
    {
      region: 'us-east-1',
      accountId: '000000000000',
      tableName: 'rapport-local',
      eventBusName: 'rapport',
      queueOrigin: elsewhere.endpoint,
    },
    "intake's QUEUE_URL",
  );
  fn = bundledFunction({
    functionName: 'calls-aws',
    taskRoot: await taskRoots.stage('calls-aws', folder),
    handler: 'index.handler',
    environment: { AWS_ENDPOINT_URL: elsewhere.endpoint, QUEUE_URL: queueUrl },
  });
});
afterAll(async () => {
  await fn.stop();
  await taskRoots.remove();
  await rm(folder, { recursive: true, force: true });
  await elsewhere.stop();
});

describe('a bundle calling a service the local runtime does not stand in for', () => {
  it('is refused here, naming the call, and never reaches AWS', async () => {
    const outcomes = await fn.handler(
      {},
      lambdaContext({ functionName: 'calls-aws', memoryMb: 128, timeoutSeconds: 10 }, 'us-east-1'),
    );

    expect(outcomes).toEqual({
      lambda: expect.stringMatching(
        /^NoLocalStandIn: the local runtime has no stand-in for POST \/2015-03-31\/functions\/deliver\/invocations/,
      ),
      sqs: expect.stringMatching(
        /^NoLocalStandIn: the local runtime has no stand-in for AmazonSQS\.ReceiveMessage/,
      ),
    });
    const refused = await (await fetch(`${elsewhere.endpoint}/refused`)).json();
    expect(refused).toHaveLength(2);
  });
});

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
  import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const outcome = (call) => call.then((answer) => answer, (error) => error.name + ': ' + error.message);
  const lambda = new LambdaClient({ region: 'us-east-1', credentials });
  const sqs = new SQSClient({ region: 'us-east-1', credentials });
  const invoked = (name) =>
    outcome(lambda.send(new InvokeCommand({ FunctionName: name, Payload: new TextEncoder().encode('{"n":1}') }))).then(
      (answer) => typeof answer === 'string' ? answer : { error: answer.FunctionError, payload: JSON.parse(new TextDecoder().decode(answer.Payload)) },
    );
  export const handler = async () => ({
    deliver: await invoked('deliver'),
    failing: await invoked('failing'),
    received: await outcome(sqs.send(new ReceiveMessageCommand({ QueueUrl: process.env.QUEUE_URL }))).then((answer) => answer.Messages ?? []),
    sent: await outcome(sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: 'x' }))),
  });`;

let elsewhere: NoStandIn;
let folder: string;
let taskRoots: TaskRoots;
let fn: BundledFunction;

beforeAll(async () => {
  elsewhere = await startNoStandIn({
    port: 0,
    invoke: () => async (name, event) => {
      if (name === 'deliver') return { handled: event };
      throw new TypeError(`${name} cannot take it`);
    },
  });
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
  it('runs a local function for Lambda Invoke, finds the queues empty, and refuses anything else, naming the call', async () => {
    const outcomes = await fn.handler(
      {},
      lambdaContext({ functionName: 'calls-aws', memoryMb: 128, timeoutSeconds: 10 }, 'us-east-1'),
    );

    expect(outcomes).toEqual({
      deliver: { payload: { handled: { n: 1 } } },
      failing: {
        error: 'Unhandled',
        payload: { errorType: 'TypeError', errorMessage: 'failing cannot take it' },
      },
      received: [],
      sent: expect.stringMatching(
        /^NoLocalStandIn: the local runtime has no stand-in for AmazonSQS\.SendMessage/,
      ),
    });
    const refused = await (await fetch(`${elsewhere.endpoint}/refused`)).json();
    expect(refused).toHaveLength(1);
  });
});

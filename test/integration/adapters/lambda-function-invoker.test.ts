import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localCredentials, localRegion } from '../../../infra/local/dynamodb-local.js';
import { freePort } from '../../../infra/local/free-port.js';
import { LambdaFunctionInvoker } from '../../../lib/adapters/lambda/lambda-function-invoker.js';
import { FunctionFailedError } from '../../../lib/domain/errors.js';

/**
 * The redrive's Lambda client against a loopback stand-in of Lambda's Invoke API
 * (REST JSON: `POST /2015-03-31/functions/{name}/invocations`), which answers
 * as Lambda does: the function's result, or its error with `X-Amz-Function-Error`.
 */

const invocations: Array<{ functionName: string; invocationType: string | undefined; payload: unknown }> = [];
let server: Server;
let invoker: LambdaFunctionInvoker;

beforeAll(async () => {
  const port = await freePort();
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const functionName = decodeURIComponent(
        /\/functions\/([^/]+)\/invocations/.exec(request.url ?? '')?.[1] ?? '',
      );
      const payload: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const invocationType = request.headers['x-amz-invocation-type'];
      invocations.push({
        functionName,
        invocationType: typeof invocationType === 'string' ? invocationType : undefined,
        payload,
      });
      if (functionName === 'Rapport-FunctionsDeliverFunction-Ab1') {
        response.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' });
        response.end(
          JSON.stringify({
            errorType: 'TemplateMissingError',
            errorMessage: 'message receipt#1 names template "retired-mail", which has no published version',
            trace: [],
          }),
        );
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ batchItemFailures: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  invoker = new LambdaFunctionInvoker({
    region: localRegion,
    endpoint: `http://127.0.0.1:${port}`,
    credentials: localCredentials,
    functionNames: {
      journeys: 'Rapport-FunctionsJourneysFunction-Xy9',
      deliver: 'Rapport-FunctionsDeliverFunction-Ab1',
    },
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('handing a record back through Lambda’s Invoke', () => {
  it('invokes the deployed function synchronously with the event, and answers its result', async () => {
    const event = { Records: [{ eventID: '1' }], redriveOf: '01JD0000000000000000000001' };

    expect(await invoker.invoke('journeys', event)).toEqual({ batchItemFailures: [] });
    expect(invocations.at(-1)).toEqual({
      functionName: 'Rapport-FunctionsJourneysFunction-Xy9',
      invocationType: 'RequestResponse',
      payload: event,
    });
  });

  it('fails with the function’s own error when the function failed the event', async () => {
    await expect(invoker.invoke('deliver', { Records: [] })).rejects.toEqual(
      new FunctionFailedError(
        'TemplateMissingError: message receipt#1 names template "retired-mail", which has no published version',
      ),
    );
  });

  it('refuses a function the deployment does not name, without calling Lambda', async () => {
    const before = invocations.length;

    await expect(invoker.invoke('tick', {})).rejects.toThrow(FunctionFailedError);
    expect(invocations).toHaveLength(before);
  });
});

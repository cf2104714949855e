import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { z } from 'zod';
import { FunctionFailedError } from '../../domain/errors.js';
import type { FunctionInvoker } from '../../ports/function-invoker.js';

export interface LambdaFunctionInvokerOptions {
  region: string;
  /** Set for an endpoint other than AWS's; absent in the cloud. */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Each redrivable function's deployed name, by its topology name (FUNCTION_NAMES). */
  functionNames: Readonly<Record<string, string>>;
}

/** What Lambda answers in place of the result when the function threw. */
const FunctionErrorPayload = z.object({
  errorType: z.string().optional(),
  errorMessage: z.string().optional(),
});

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * Lambda's synchronous Invoke (RequestResponse) by topology name. A function that
 * threw comes back with `FunctionError` and its error as the payload: that is the
 * function failing the event (FunctionFailedError), not the call failing.
 */
export class LambdaFunctionInvoker implements FunctionInvoker {
  private readonly client: LambdaClient;
  private readonly functionNames: Readonly<Record<string, string>>;

  constructor({ functionNames, ...connection }: LambdaFunctionInvokerOptions) {
    this.client = new LambdaClient(connection);
    this.functionNames = functionNames;
  }

  async invoke(functionName: string, event: unknown): Promise<unknown> {
    const deployed = Object.hasOwn(this.functionNames, functionName)
      ? this.functionNames[functionName]
      : undefined;
    if (deployed === undefined)
      throw new FunctionFailedError(
        `no function "${functionName}" takes redriven records in this deployment`,
      );
    const answer = await this.client.send(
      new InvokeCommand({
        FunctionName: deployed,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    const text = answer.Payload === undefined ? '' : new TextDecoder().decode(answer.Payload);
    const payload = text === '' ? undefined : parsed(text);
    if (answer.FunctionError !== undefined) {
      const error = FunctionErrorPayload.safeParse(payload);
      const type = error.success ? error.data.errorType : undefined;
      const message = error.success ? error.data.errorMessage : undefined;
      throw new FunctionFailedError(
        message === undefined
          ? `the function failed (${answer.FunctionError})`
          : `${type ?? 'Error'}: ${message}`,
      );
    }
    return payload;
  }
}

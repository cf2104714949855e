import { CfnElement, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import type { FunctionSpec } from '../../topology.js';
import { acknowledgeOnResource } from './acknowledge.js';

export interface BuiltFunction {
  spec: FunctionSpec;
  fn: lambda.Function;
}

/** An SQS dead-letter queue, and the function whose events it holds (none: each message names its function). */
export interface WatchedQueue {
  queue: sqs.IQueue;
  functionName?: string;
}

export interface DeadLetterAccessProps {
  table: dynamodb.ITable;
  functions: readonly BuiltFunction[];
  queues: readonly WatchedQueue[];
}

/** Whose failures become dead letters, and so who a redrive may hand a record back to. */
export const isRedrivable = (spec: FunctionSpec): boolean =>
  spec.trigger.kind === 'table-stream' || spec.trigger.kind === 'topic' || spec.trigger.kind === 'bus-rule';

/** Whether a function names a redrivable one (deliver among them), so it cannot be deployed before it. */
export const namesRedrivableFunctions = (spec: FunctionSpec): boolean =>
  spec.access.redrive === true || spec.access.takeInDeadLetters === true;

const policyOf = (fn: lambda.Function): IConstruct | undefined => fn.role?.node.tryFindChild('DefaultPolicy');

/**
 * What the functions that redrive and take in dead letters are given, once every
 * function exists: the deployed name of each redrivable function by its topology
 * name (FUNCTION_NAMES), Lambda Invoke on them (`grantInvoke`) for a redrive, and
 * for the intake the dead-letter queues (DEAD_LETTER_QUEUES) to receive from and
 * delete on, and reads of the table's stream for a failed batch's records.
 */
export const grantDeadLetterAccess = (props: DeadLetterAccessProps): void => {
  const redrivable = props.functions.filter(({ spec }) => isRedrivable(spec));
  for (const { spec, fn } of props.functions) {
    if (!namesRedrivableFunctions(spec)) continue;
    const stack = Stack.of(fn);
    fn.addEnvironment(
      'FUNCTION_NAMES',
      stack.toJsonString(
        Object.fromEntries(redrivable.map((target) => [target.spec.name, target.fn.functionName])),
      ),
    );
    if (spec.access.redrive === true) {
      for (const target of redrivable) target.fn.grantInvoke(fn);
      acknowledgeInvokeOnVersions(fn, redrivable);
    }
    if (spec.access.takeInDeadLetters === true) {
      fn.addEnvironment(
        'DEAD_LETTER_QUEUES',
        stack.toJsonString(
          props.queues.map(({ queue, functionName }) => ({
            url: queue.queueUrl,
            ...(functionName === undefined ? {} : { functionName }),
          })),
        ),
      );
      for (const { queue } of props.queues) queue.grantConsumeMessages(fn);
      props.table.grantStreamRead(fn);
    }
  }
};

/** grantInvoke also covers the functions' versions and aliases (`<arn>:*`); there are none but $LATEST. */
const acknowledgeInvokeOnVersions = (fn: lambda.Function, targets: readonly BuiltFunction[]): void => {
  const policy = policyOf(fn);
  if (policy === undefined) return;
  for (const target of targets) {
    const resource = target.fn.node.defaultChild;
    if (!(resource instanceof CfnElement)) continue;
    acknowledgeOnResource(policy, {
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(fn).getLogicalId(resource)}.Arn>:*]`,
      reason: `A redrive invokes ${target.spec.name}; grantInvoke names its versions and aliases too, and the stack publishes none.`,
    });
  }
};

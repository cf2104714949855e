import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { isRecord } from '../../../lib/domain/is-record.js';
import type { BusRuleTrigger, FilterPattern, FunctionSpec } from '../../topology.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';

export interface BusRulesProps {
  /** The stack's bus, where journeys emit and other systems put what Rapport ingests. */
  bus: events.IEventBus;
}

export interface BusRuleFunction {
  spec: FunctionSpec & { trigger: BusRuleTrigger };
  function: lambda.IFunction;
  rule: events.Rule;
}

/** A pattern field EventBridge does not match on, or one in the wrong shape; CloudFormation would refuse it. */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
}

/** EventBridge's envelope fields that a pattern names with a list of values, under their CDK names. */
const listFields = {
  version: 'version',
  id: 'id',
  'detail-type': 'detailType',
  source: 'source',
  account: 'account',
  time: 'time',
  region: 'region',
  resources: 'resources',
} as const satisfies Record<string, keyof events.EventPattern>;

const isListField = (key: string): key is keyof typeof listFields => Object.hasOwn(listFields, key);

/**
 * The topology's pattern (plain JSON, as EventBridge writes it) as the CDK's
 * EventPattern. Matchers such as `anything-but` are not strings, so each list
 * goes in as a token that renders back to the JSON it was given.
 */
export const eventPatternOf = (pattern: FilterPattern): events.EventPattern => {
  const rendered: { -readonly [K in keyof events.EventPattern]: events.EventPattern[K] } = {};
  for (const [key, value] of Object.entries(pattern)) {
    if (key === 'detail') {
      if (!isRecord(value)) throw new InvalidEventPatternError('"detail" must hold a nested pattern');
      rendered.detail = value;
    } else if (isListField(key)) {
      if (!Array.isArray(value)) throw new InvalidEventPatternError(`"${key}" must hold a list of values`);
      rendered[listFields[key]] = Token.asList(value);
    } else {
      throw new InvalidEventPatternError(`"${key}" is not a field of an EventBridge event`);
    }
  }
  return rendered;
};

/**
 * Rules on the stack's bus that hand events other systems put there to Rapport
 * functions, one per bus-rule entry. EventBridge invokes the function
 * asynchronously, with Lambda's retries off (RapportFunction sets that for
 * bus-rule entries): the handler chain retries faults itself and then fails,
 * and Lambda sends the event, with the error, to the function's dead-letter queue (this construct's
 * queue, given to the function as its `asyncDeadLetterQueue`). An event
 * EventBridge could not hand to Lambda at all (throttling, a missing permission)
 * is retried by EventBridge and then lands in the same queue.
 */
export class BusRules extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly wired: BusRuleFunction[] = [];
  private readonly bus: events.IEventBus;

  constructor(scope: Construct, id: string, props: BusRulesProps) {
    super(scope, id);
    this.bus = props.bus;
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
  }

  add(
    constructId: string,
    spec: FunctionSpec & { trigger: BusRuleTrigger },
    fn: lambda.IFunction,
  ): events.Rule {
    const rule = new events.Rule(this, `${constructId}Rule`, {
      eventBus: this.bus,
      description: `Hands ${spec.name} the events of other systems it ingests.`,
      eventPattern: eventPatternOf(spec.trigger.pattern),
    });
    rule.addTarget(
      new targets.LambdaFunction(fn, {
        deadLetterQueue: this.deadLetterQueue,
        // A purchase is worth waiting for: a day of retries rides out a throttled or redeployed function.
        retryAttempts: 185,
        maxEventAge: Duration.hours(24),
      }),
    );
    this.wired.push({ spec, function: fn, rule });
    return rule;
  }
}

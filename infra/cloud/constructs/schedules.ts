import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionSpec, ScheduleTrigger } from '../../topology.js';
import { createDeadLetterQueue } from './dead-letter-queue.js';

export interface ScheduledFunction {
  spec: FunctionSpec & { trigger: ScheduleTrigger };
  function: lambda.IFunction;
  rule: events.Rule;
}

/**
 * Fixed-rate EventBridge rules, one per schedule entry. EventBridge retries an
 * invocation it could not hand to Lambda (throttling, a missing permission) and
 * then drops the event in a dead-letter queue, which is alarmed; a run that
 * Lambda accepted and that failed is not retried, because the next beat is.
 */
/** The longest EventBridge keeps an event for a target (MaximumEventAgeInSeconds: 86,400). */
const maxEventAgeMinutes = 24 * 60;

export class Schedules extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly scheduled: ScheduledFunction[] = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = createDeadLetterQueue(this, 'DeadLetterQueue');
  }

  add(constructId: string, spec: FunctionSpec & { trigger: ScheduleTrigger }, fn: lambda.IFunction): void {
    const rule = new events.Rule(this, `${constructId}Rule`, {
      description: `Runs ${spec.name} every ${spec.trigger.everyMinutes} minute(s).`,
      schedule: events.Schedule.rate(Duration.minutes(spec.trigger.everyMinutes)),
    });
    rule.addTarget(
      new targets.LambdaFunction(fn, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: 3,
        // An older beat is worth nothing: a newer one has run, or will, from the same cursor.
        // EventBridge keeps an event a day at most, which a daily beat's two periods would pass.
        maxEventAge: Duration.minutes(
          Math.min(maxEventAgeMinutes, Math.max(2, spec.trigger.everyMinutes * 2)),
        ),
      }),
    );
    this.scheduled.push({ spec, function: fn, rule });
  }
}

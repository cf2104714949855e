import { join } from 'node:path';
import { CfnElement, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { metricsNamespace } from '../../../lib/config/metric-names.js';
import { type FunctionSpec, functionTagKey } from '../../topology.js';
import type { SharedFunctionEnvironment } from '../shared-function-environment.js';
import { acknowledgeOnResource } from './acknowledge.js';
import { functionBundling, lambdaNodeOptions } from './function-bundling.js';
import type { OutboundEventBus } from './outbound-event-bus.js';
import { repoRoot } from './repo-root.js';

export interface EmailSending {
  identity: ses.IEmailIdentity;
  configurationSet: ses.IConfigurationSet;
}

/** SMS sender settings from the stack config; both optional (SNS then uses the account's defaults). */
export interface SmsSending {
  senderId?: string;
  originationNumber?: string;
}

export interface RapportFunctionProps {
  spec: FunctionSpec;
  table: dynamodb.ITable;
  environment: SharedFunctionEnvironment;
  tokenKeys: secretsmanager.ISecret;
  email: EmailSending;
  sms?: SmsSending;
  /** Where functions whose access has `putEvents` put the events journeys emit. */
  eventBus: OutboundEventBus;
  /** Where asynchronous invocations (SNS, EventBridge rules) that still fail after Lambda's retries end up. */
  asyncDeadLetterQueue?: sqs.IQueue;
}

const contentFolders = ['journeys', 'templates', 'segments'] as const;
/** Published by the seed with the content; see lib/content/load-content.ts. */
const contentFiles = ['delivery-policy.yaml'] as const;

/**
 * One topology entry as a Lambda function: the single place for runtime,
 * bundling, logging, tracing, environment and grants.
 */
export class RapportFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, props: RapportFunctionProps) {
    super(scope, id);
    const { spec } = props;
    this.spec = spec;

    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      // Logs expire within a month anyway; what must outlive the stack (consent) lives in the table.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: join(repoRoot, spec.entry),
      handler: 'handler',
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memoryMb,
      timeout: Duration.seconds(spec.timeoutSeconds),
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      environment: this.environmentFor(props),
      deadLetterQueue: props.asyncDeadLetterQueue,
      // A failed scheduled run is retried by the next beat, from the same stored state; a Lambda retry would only overlap it.
      // A bus-rule function's chain retries faults itself and dead-letters a rejected event at once (bus-chain.ts).
      ...(spec.trigger.kind === 'schedule' || spec.trigger.kind === 'bus-rule' ? { retryAttempts: 0 } : {}),
      bundling: {
        ...functionBundling,
        mainFields: [...functionBundling.mainFields],
        externalModules: [...functionBundling.externalModules],
        ...(spec.trigger.kind === 'deployment' ? { commandHooks: copyContentBesideHandler } : {}),
      },
    });
    Tags.of(this.function).add(functionTagKey, spec.name);

    this.grant(props);
    this.acknowledgeNagFindings(props);
  }

  private environmentFor(props: RapportFunctionProps): Record<string, string> {
    const { spec } = props;
    return {
      TABLE_NAME: props.table.tableName,
      ...props.environment,
      ...(spec.access.tokenKeys ? { TOKEN_KEYS_SECRET_ARN: props.tokenKeys.secretArn } : {}),
      ...(spec.access.sendEmail
        ? { SES_CONFIGURATION_SET: props.email.configurationSet.configurationSetName }
        : {}),
      ...(spec.access.sendSms === true && props.sms?.senderId !== undefined
        ? { SMS_SENDER_ID: props.sms.senderId }
        : {}),
      ...(spec.access.sendSms === true && props.sms?.originationNumber !== undefined
        ? { SMS_ORIGINATION_NUMBER: props.sms.originationNumber }
        : {}),
      ...(spec.access.putEvents === true ? { EVENT_BUS_NAME: props.eventBus.bus.eventBusName } : {}),
      POWERTOOLS_SERVICE_NAME: spec.name,
      POWERTOOLS_METRICS_NAMESPACE: metricsNamespace,
      NODE_OPTIONS: lambdaNodeOptions,
    };
  }

  private grant(props: RapportFunctionProps): void {
    const { access } = props.spec;
    if (access.table === 'read-write') props.table.grantReadWriteData(this.function);
    else props.table.grantReadData(this.function);
    if (access.tokenKeys) props.tokenKeys.grantRead(this.function);
    if (access.sendSms === true) this.grantSms();
    if (access.putEvents === true) props.eventBus.grantPutEventsTo(this.function);
    if (access.sendEmail) {
      props.email.identity.grantSendEmail(this.function);
      // SES v2 also authorizes SendEmail against the configuration set named in the
      // call, and ConfigurationSet has no grant method, so this statement names its ARN.
      this.function.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail', 'ses:SendRawEmail'],
          resources: [
            Stack.of(this).formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: props.email.configurationSet.configurationSetName,
            }),
          ],
        }),
      );
    }
  }

  private grantSms(): void {
    // Publishing to a phone number, the opt-out check and the account's SMS settings have
    // no resource to name: SNS authorizes them against "*" (a topic ARN would only cover
    // topic publishes). The month's SMS spend is read from CloudWatch, which has none either.
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [
          'sns:Publish',
          'sns:CheckIfPhoneNumberIsOptedOut',
          'sns:GetSMSAttributes',
          'cloudwatch:GetMetricStatistics',
        ],
        resources: ['*'],
      }),
    );
  }

  private acknowledgeNagFindings(props: RapportFunctionProps): void {
    const { spec } = props;
    acknowledgeOnResource(
      this.function,
      {
        id: 'AwsSolutions-L1',
        reason:
          'Pinned to nodejs22.x on purpose: the handlers and the local runtime are tested against Node 22.',
      },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason:
          'Pinned to nodejs22.x on purpose: the handlers and the local runtime are tested against Node 22.',
      },
    );
    const dlqReason = syncInvocationReason(spec);
    if (dlqReason !== undefined) {
      acknowledgeOnResource(this.function, { id: 'Serverless-LambdaDLQ', reason: dlqReason });
    }
    const invokeConfig = this.function.node.tryFindChild('EventInvokeConfig');
    if (spec.trigger.kind === 'schedule' && invokeConfig !== undefined) {
      acknowledgeOnResource(invokeConfig, {
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason:
          'A failed scheduled run is not replayed: the next run resumes from the state stored in the table, and the Errors alarm reports the failure.',
      });
    }
    if (spec.trigger.kind === 'bus-rule' && invokeConfig !== undefined) {
      acknowledgeOnResource(invokeConfig, {
        id: 'Serverless-LambdaAsyncFailureDestination',
        reason:
          "A failed event goes to the function's asynchronous dead-letter queue (the bus rule's, alarmed) with the error as its ErrorMessage; a failure destination as well would deliver each failure twice.",
      });
    }
    const role = this.function.role;
    if (role === undefined) return;
    acknowledgeOnResource(role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The AWS-managed basic execution policy only lets the function write its own CloudWatch logs.',
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) return;
    const starReasons = [
      // The dead-letter intake reads failed batches back from the stream (dead-letter-access.ts).
      spec.trigger.kind === 'table-stream' || spec.access.takeInDeadLetters === true
        ? 'X-Ray PutTraceSegments/PutTelemetryRecords and dynamodb:ListStreams accept no resource narrower than "*".'
        : 'X-Ray PutTraceSegments and PutTelemetryRecords accept no resource narrower than "*".',
      ...(spec.access.sendSms === true
        ? [
            'SNS Publish to a phone number, CheckIfPhoneNumberIsOptedOut and GetSMSAttributes have no resource ARN; SNS only authorizes them on "*", as CloudWatch does GetMetricStatistics (the month’s SMS spend).',
          ]
        : []),
    ];
    acknowledgeOnResource(policy, { id: 'AwsSolutions-IAM5[Resource::*]', reason: starReasons.join(' ') });
    const tableResource = props.table.node.defaultChild;
    if (tableResource instanceof CfnElement) {
      acknowledgeOnResource(policy, {
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(tableResource)}.Arn>/index/*]`,
        reason:
          "The table grant covers the table's own indexes (its one keys-only index, GSI1, lists running enrollments by journey and contacts for background jobs); nothing outside the table.",
      });
    }
  }
}

/** Why a function needs no dead-letter queue of its own: a function DLQ only catches asynchronous invocations. */
const syncInvocationReason = (spec: FunctionSpec): string | undefined => {
  switch (spec.trigger.kind) {
    case 'http':
      return 'Invoked synchronously by API Gateway: a failure reaches the caller as a 5xx, there is no async event to keep.';
    case 'table-stream':
      return 'Invoked by an event source mapping whose on-failure destination is the shared SQS dead-letter queue.';
    case 'deployment':
      return 'Invoked synchronously by the custom resource provider: a failure fails and rolls back the deployment.';
    case 'schedule':
      return 'A failed scheduled run keeps nothing worth replaying: the next run resumes from the state stored in the table, and the Errors alarm reports the failure.';
    case 'topic':
    case 'bus-rule':
      return undefined;
  }
};

/** The seed handler reads journeys/, templates/ and the delivery policy beside itself, so they ship inside its bundle. */
const copyContentBesideHandler: nodejs.ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir: string, outputDir: string) => [
    ...contentFolders.map((folder) => `cp -R "${join(inputDir, folder)}" "${join(outputDir, folder)}"`),
    ...contentFiles.map((file) => `cp "${join(inputDir, file)}" "${join(outputDir, file)}"`),
  ],
};

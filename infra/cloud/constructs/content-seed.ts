import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CfnElement, CustomResource, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeOnResource } from './acknowledge.js';
import { repoRoot } from './repo-root.js';

export const contentSeedResourceType = 'Custom::RapportContentSeed';

const listFiles = (folder: string): string[] =>
  readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));

/** A hash of journeys/, templates/, segments/ and the delivery policy: when it changes, CloudFormation re-runs the seed. */
export const contentHash = (root: string = repoRoot): string => {
  const hash = createHash('sha256');
  const policy = join(root, 'delivery-policy.yaml');
  const files = [
    ...['journeys', 'templates', 'segments'].flatMap((folder) => listFiles(join(root, folder))),
    ...(existsSync(policy) ? [policy] : []),
  ].sort();
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
};

/**
 * The key of the function's code asset, named after the bundle's hash. The seed also
 * compiles every stored template with the layout and MJML it is bundled with
 * (lib/app/publish-content.ts), so new code must run it again even when the content is the same.
 */
const codeKeyOf = (handler: lambda.IFunction): string => {
  const resource = handler.node.defaultChild;
  const code = resource instanceof lambda.CfnFunction ? resource.code : undefined;
  const key = code === undefined || Token.isUnresolved(code) || !('s3Key' in code) ? undefined : code.s3Key;
  if (typeof key !== 'string') throw new Error(`${handler.node.path} has no code asset to follow`);
  return key;
};

export interface ContentSeedProps {
  /** The topology entry's name, recorded on the resource so it can be traced back. */
  name: string;
  handler: lambda.IFunction;
}

/** Runs a `deployment` topology entry once per deploy whose content or code changed, as a CloudFormation custom resource. */
export class ContentSeed extends Construct {
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: ContentSeedProps) {
    super(scope, id);
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: props.handler,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: contentSeedResourceType,
      properties: { Function: props.name, ContentHash: contentHash(), HandlerCode: codeKeyOf(props.handler) },
    });
    this.acknowledgeProviderFindings(provider, props.handler);
  }

  private acknowledgeProviderFindings(provider: cr.Provider, handler: lambda.IFunction): void {
    const framework = provider.node.tryFindChild('framework-onEvent');
    if (framework === undefined) return;
    const owned = 'The custom resource framework function is owned by aws-cdk-lib';
    acknowledgeOnResource(
      framework,
      { id: 'AwsSolutions-L1', reason: `${owned}, which picks and updates its runtime.` },
      { id: 'Serverless-LambdaLatestVersion', reason: `${owned}, which picks and updates its runtime.` },
      { id: 'Serverless-LambdaDefaultMemorySize', reason: `${owned}; it only relays one event per deploy.` },
      { id: 'Serverless-LambdaTracing', reason: `${owned}; the seed function it invokes is traced.` },
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'CloudFormation invokes the provider and waits for its answer; a failure fails the deployment.',
      },
    );
    const role = framework.node.tryFindChild('ServiceRole');
    if (role === undefined) return;
    acknowledgeOnResource(role, {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'The AWS-managed basic execution policy only lets the framework function write its CloudWatch logs.',
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy === undefined) return;
    acknowledgeOnResource(policy, {
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(handler)}.Arn>:*]`,
      reason:
        'The provider may invoke any version or alias of the one seed function it fronts, and nothing else.',
    });
  }
}

const logicalIdOf = (construct: Construct): string => {
  const child = construct.node.defaultChild;
  if (!CfnElement.isCfnElement(child))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(child);
};

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AssetHashType, CfnElement, DockerImage, Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { z } from 'zod';
import type { ConsoleConfig } from '../../../lib/domain/console-config.js';
import { acknowledgeOnResource } from './acknowledge.js';
import { consoleSettings } from './console-settings.js';
import { repoRoot } from './repo-root.js';

export interface ConsoleFilesProps {
  bucket: s3.IBucket;
  distribution: cloudfront.IDistribution;
  /** What the console reads from `config.json` at start: one build serves every stack. */
  config: ConsoleConfig;
}

export const consoleBuildScript = 'console:build';
const consoleDist = join(repoRoot, 'console', 'dist');

export class ConsoleBuildError extends Error {
  override readonly name = 'ConsoleBuildError';
}

const PackageScripts = z.object({ scripts: z.record(z.string(), z.string()).default({}) });

/**
 * Builds the console with the repository's own script and copies `console/dist`
 * out, as the functions are bundled: locally at synth, never in Docker. A synth
 * that skips bundling (the infra tests) skips this too.
 */
const buildConsole = (outputDir: string): boolean => {
  const { scripts } = PackageScripts.parse(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')));
  if (scripts[consoleBuildScript] === undefined)
    throw new ConsoleBuildError(
      `package.json has no "${consoleBuildScript}" script to build the console with`,
    );
  // The build's own output goes to stderr: stdout may be carrying the synthesized template.
  execFileSync('npm', ['run', '--silent', consoleBuildScript], { cwd: repoRoot, stdio: ['ignore', 2, 2] });
  if (!existsSync(join(consoleDist, 'index.html')))
    throw new ConsoleBuildError(`npm run ${consoleBuildScript} left no console/dist/index.html`);
  cpSync(consoleDist, outputDir, { recursive: true });
  return true;
};

/**
 * The built console in the bucket, in two passes: Vite's content-hashed files first,
 * cached for a year and never pruned (a browser still on the previous index.html can
 * load what it names); then everything else, with `config.json` for this stack,
 * revalidated on every load, after which CloudFront's copies are invalidated.
 */
export class ConsoleFiles extends Construct {
  readonly hashedAssets: s3deploy.BucketDeployment;
  readonly entryPoints: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleFilesProps) {
    super(scope, id);
    const built = s3deploy.Source.asset(repoRoot, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: {
        // Required by the type, never pulled: the local build either succeeds or throws.
        image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
        local: { tryBundle: buildConsole },
      },
    });
    const hashed = `${consoleSettings.hashedAssetsFolder}/*`;
    const destinationKeyPrefix = `${consoleSettings.basePath.slice(1)}/`;
    this.hashedAssets = new s3deploy.BucketDeployment(this, 'HashedAssets', {
      sources: [built],
      destinationBucket: props.bucket,
      destinationKeyPrefix,
      exclude: ['*'],
      include: [hashed],
      prune: false,
      cacheControl: [s3deploy.CacheControl.fromString(consoleSettings.cacheControl.hashedAssets)],
      memoryLimit: 512,
    });
    this.entryPoints = new s3deploy.BucketDeployment(this, 'EntryPoints', {
      sources: [built, s3deploy.Source.jsonData(consoleSettings.configFile, props.config)],
      destinationBucket: props.bucket,
      destinationKeyPrefix,
      exclude: [hashed],
      cacheControl: [s3deploy.CacheControl.fromString(consoleSettings.cacheControl.entryPoints)],
      distribution: props.distribution,
      distributionPaths: [`${consoleSettings.basePath}/*`],
      memoryLimit: 512,
    });
    this.entryPoints.node.addDependency(this.hashedAssets);
    this.acknowledgeNagFindings(props.bucket);
  }

  /** The deployments share one singleton handler, created at the stack's root. */
  private acknowledgeNagFindings(bucket: s3.IBucket): void {
    const handlers = Stack.of(this).node.children.filter((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    const owned = 'The S3 deployment function is owned by aws-cdk-lib';
    for (const handler of handlers) {
      acknowledgeOnResource(
        handler,
        { id: 'AwsSolutions-L1', reason: `${owned}, which picks and updates its runtime.` },
        { id: 'Serverless-LambdaLatestVersion', reason: `${owned}, which picks and updates its runtime.` },
        {
          id: 'Serverless-LambdaTracing',
          reason: `${owned}; it only copies the console files once per deploy.`,
        },
        {
          id: 'Serverless-LambdaDLQ',
          reason: 'CloudFormation invokes it and waits for its answer; a failure fails the deployment.',
        },
      );
      const role = handler.node.tryFindChild('ServiceRole');
      if (role === undefined) continue;
      acknowledgeOnResource(role, {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'The AWS-managed basic execution policy only lets the deployment function write its logs.',
      });
      const policy = role.node.tryFindChild('DefaultPolicy');
      if (policy === undefined) continue;
      const grants = `aws-cdk-lib's grants for copying the built console from the CDK asset bucket into the console bucket`;
      acknowledgeOnResource(
        policy,
        ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason: `${action} comes from ${grants}; prune deletes files a new build no longer has.`,
        })),
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
          reason:
            'The built console is read from the CDK bootstrap asset bucket, whose object keys are content hashes.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(bucket)}.Arn>/*]`,
          reason: 'The deployment writes and prunes every file of the console bucket, and only that bucket.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason:
            'aws-cdk-lib grants cloudfront:CreateInvalidation and GetInvalidation on any distribution; the function invalidates only the console’s.',
        },
      );
    }
  }
}

const logicalIdOf = (construct: IConstruct): string => {
  const child = construct.node.defaultChild;
  if (!CfnElement.isCfnElement(child))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(child);
};

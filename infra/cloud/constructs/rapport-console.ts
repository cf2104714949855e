import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct, IConstruct } from 'constructs';
import type { FunctionSpec, HttpTrigger } from '../../topology.js';
import { ConsoleApi } from './console-api.js';
import { ConsoleFiles } from './console-files.js';
import { type ConsoleDomain, ConsoleHosting } from './console-hosting.js';
import { consoleSettings, managedLoginHost, managedLoginPrefix } from './console-settings.js';
import { ConsoleUsers } from './console-users.js';
import type { ApiThrottle } from './rapport-api.js';

export interface RapportConsoleProps extends NestedStackProps {
  throttle: ApiThrottle;
  domain?: ConsoleDomain;
  adminEmails: readonly string[];
  /** The account's API Gateway logging role setting, which the console API's stage logs through. */
  loggingReady?: IConstruct;
}

/**
 * The marketer console: its files behind CloudFront, its users, and the admin
 * routes again behind Cognito. A nested stack, because the second copy of the
 * admin routes (a method and a resource each) would take the parent past
 * CloudFormation's 500 resources; it takes the functions' ARNs as parameters.
 */
export class RapportConsole extends NestedStack {
  readonly hosting: ConsoleHosting;
  readonly users: ConsoleUsers;
  readonly api: ConsoleApi;
  readonly files: ConsoleFiles;

  constructor(scope: Construct, id: string, props: RapportConsoleProps) {
    super(scope, id, {
      description: 'Rapport marketer console: CloudFront, Cognito and the console API.',
      ...props,
    });
    this.hosting = new ConsoleHosting(this, 'Hosting', {
      loginHost: managedLoginHost(),
      ...(props.domain === undefined ? {} : { domain: props.domain }),
    });
    this.users = new ConsoleUsers(this, 'Users', {
      consoleUrl: this.hosting.url,
      loginPrefix: managedLoginPrefix(),
      adminEmails: props.adminEmails,
    });
    this.api = new ConsoleApi(this, 'Api', {
      throttle: props.throttle,
      userPool: this.users.userPool,
      ...(props.loggingReady === undefined ? {} : { loggingReady: props.loggingReady }),
    });
    this.hosting.routeApi(this.api.restApi);
    this.files = new ConsoleFiles(this, 'Files', {
      bucket: this.hosting.bucket,
      distribution: this.hosting.distribution,
      config: {
        apiBase: consoleSettings.apiPath,
        signIn: {
          kind: 'cognito',
          region: this.region,
          userPoolId: this.users.userPool.userPoolId,
          clientId: this.users.client.userPoolClientId,
          loginUrl: this.users.loginUrl,
          redirectUri: this.users.redirectUri,
          signedOutUri: this.users.signedOutUri,
        },
      },
    });
  }

  addRoutes(spec: FunctionSpec & { trigger: HttpTrigger }, handler: lambda.IFunction): void {
    this.api.addRoutes(spec, handler);
  }
}

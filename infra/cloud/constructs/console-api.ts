import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import type { FunctionSpec, HttpTrigger } from '../../topology.js';
import { acknowledgeOnResource } from './acknowledge.js';
import {
  type ApiThrottle,
  answerBusyCallersWithRetryAfter,
  methodsFor,
  stageOptions,
} from './rapport-api.js';

export interface ConsoleApiProps {
  throttle: ApiThrottle;
  userPool: cognito.IUserPool;
  /** What must exist before this API's stage can log (the account's API Gateway logging role). */
  loggingReady?: IConstruct;
}

/**
 * The admin routes again, on a REST API of their own whose methods take the console
 * user pool's ID token (a Cognito authorizer) instead of SigV4. A REST method has one
 * authorizer, and a function dispatches on the resource template it is handed, so the
 * copy keeps the same resource paths (`/admin/journeys/{id}`) in another API rather
 * than under an `/api` prefix in the first. Its stage is named `api`, so CloudFront's
 * `/api/*` behavior forwards a path unchanged. The handlers read the caller's
 * `cognito:groups` from the authorizer's claims.
 */
export class ConsoleApi extends Construct {
  readonly restApi: apigateway.RestApi;
  private readonly authorizer: apigateway.CognitoUserPoolsAuthorizer;

  constructor(scope: Construct, id: string, props: ConsoleApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `${Stack.of(this).stackName}-console-api`,
      description:
        'Rapport admin API for the marketer console (Cognito sign-in), behind its CloudFront distribution.',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The account-level logging role is one setting per region; the public API's construct owns it.
      cloudWatchRole: false,
      deployOptions: stageOptions(accessLogs, props.throttle),
    });
    answerBusyCallersWithRetryAfter(this.restApi);
    if (props.loggingReady !== undefined) this.restApi.deploymentStage.node.addDependency(props.loggingReady);
    this.authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'ConsoleUsers', {
      authorizerName: 'console-users',
      cognitoUserPools: [props.userPool],
      identitySource: apigateway.IdentitySource.header('Authorization'),
    });
    this.acknowledgeNagFindings();
  }

  /** Adds the spec's admin routes; its public ones stay on the public API only. */
  addRoutes(spec: FunctionSpec & { trigger: HttpTrigger }, handler: lambda.IFunction): void {
    const routes = spec.trigger.routes.filter((route) => route.auth === 'admin');
    if (routes.length === 0) return;
    // One permission per function for the whole API: one per method would double each admin function's policy.
    const integration = new apigateway.LambdaIntegration(handler, { scopePermissionToMethod: false });
    for (const route of routes) {
      const resource = this.restApi.root.resourceForPath(route.path);
      for (const httpMethod of methodsFor(route)) {
        resource.addMethod(httpMethod, integration, {
          authorizationType: apigateway.AuthorizationType.COGNITO,
          authorizer: this.authorizer,
        });
      }
    }
  }

  private acknowledgeNagFindings(): void {
    acknowledgeOnResource(this.restApi, {
      id: 'AwsSolutions-APIG2',
      reason:
        'Handlers validate every body and query with zod and answer 4xx naming the field; proxy integrations pass bodies as-is.',
    });
    acknowledgeOnResource(this.restApi.deploymentStage, {
      id: 'AwsSolutions-APIG3',
      reason:
        'A WAF web ACL is account-specific (managed rule costs, allow lists); operators attach one to this stage or the console distribution.',
    });
  }
}

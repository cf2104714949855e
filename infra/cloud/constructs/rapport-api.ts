import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, type IConstruct } from 'constructs';
import { busyRetryAfterSeconds } from '../../../lib/domain/request-limits.js';
import type { FunctionSpec, HttpRoute, HttpTrigger } from '../../topology.js';
import { acknowledgeOnResource } from './acknowledge.js';
import { SignupFirewall } from './signup-firewall.js';

export interface ApiThrottle {
  rateLimit: number;
  burstLimit: number;
}

export interface RapportApiProps {
  throttle: ApiThrottle;
  /** Every route the API will serve, known up front so per-method settings land on the stage. */
  routes: readonly HttpRoute[];
  /** A WAF web ACL on the stage (`rapport:waf`). */
  waf: boolean;
}

/**
 * WAF's per-IP ceiling on the signup form, looser than the function's own (10 in 10 minutes
 * by default), which answers a person a readable 429: WAF is for floods, and blocks with a 403.
 */
const wafSignupsPerFiveMinutes = 100;

/** Routes open to anyone that write (form posts) get this share of the stage limit, so a flood there cannot starve the rest. */
const publicWriteShare = 0.5;

const isPublicWrite = (route: HttpRoute): boolean =>
  route.auth === 'public' && route.method !== 'GET' && route.method !== 'OPTIONS';

const publicWriteThrottling = (props: RapportApiProps): Record<string, apigateway.MethodDeploymentOptions> =>
  Object.fromEntries(
    props.routes.filter(isPublicWrite).map((route) => [
      `${route.path}/${route.method}`,
      {
        throttlingRateLimit: Math.max(1, Math.floor(props.throttle.rateLimit * publicWriteShare)),
        throttlingBurstLimit: Math.max(1, Math.floor(props.throttle.burstLimit * publicWriteShare)),
      },
    ]),
  );

/** The stage settings every REST API of the stack shares. */
export const stageOptions = (accessLogs: logs.ILogGroup, throttle: ApiThrottle): apigateway.StageOptions => ({
  stageName: RapportApi.stageName,
  tracingEnabled: true,
  throttlingRateLimit: throttle.rateLimit,
  throttlingBurstLimit: throttle.burstLimit,
  loggingLevel: apigateway.MethodLoggingLevel.ERROR,
  // Request bodies carry addresses and consent details; they stay out of execution logs.
  dataTraceEnabled: false,
  accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
  accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
});

/**
 * What a caller over capacity hears, with `Retry-After`, instead of API Gateway's
 * defaults: its stage throttle answers 429 without one, and Lambda's own throttle
 * (the account's concurrency spent) reaches the caller as a bare 500, which says
 * "broken" where the truth is "busy, try again".
 */
export const answerBusyCallersWithRetryAfter = (restApi: apigateway.RestApi): void => {
  const busy = (id: string, type: apigateway.ResponseType, statusCode: string, error: string) =>
    restApi.addGatewayResponse(id, {
      type,
      statusCode,
      responseHeaders: { 'Retry-After': `'${busyRetryAfterSeconds}'` },
      templates: { 'application/json': JSON.stringify({ error }) },
    });
  busy('Throttled', apigateway.ResponseType.THROTTLED, '429', 'too many requests; try again shortly');
  // Lambda's throttle reaches API Gateway as an integration failure; so do its other failures to start a function, all of them passing.
  busy('IntegrationBusy', apigateway.ResponseType.INTEGRATION_FAILURE, '503', 'busy; try again shortly');
};

/**
 * API Gateway's IAM check names what was wrong (no signature, a key id it does not
 * know, a bad signature, an expired token, a principal without permission), which
 * tells a prober whether an access key exists. Every refusal of credentials reads the
 * same, as a missing one does, as the local gateway and the API keys answer.
 */
export const answerRefusedCredentialsAlike = (restApi: apigateway.RestApi): void => {
  const refused = JSON.stringify({
    error: 'this route needs a request signed with credentials allowed to call it (AWS SigV4)',
  });
  for (const [id, type] of [
    ['MissingCredentials', apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN],
    ['UnknownCredentials', apigateway.ResponseType.UNAUTHORIZED],
    ['BadSignature', apigateway.ResponseType.INVALID_SIGNATURE],
    ['ExpiredCredentials', apigateway.ResponseType.EXPIRED_TOKEN],
    ['CredentialsNotAllowed', apigateway.ResponseType.ACCESS_DENIED],
  ] as const)
    restApi.addGatewayResponse(id, { type, statusCode: '403', templates: { 'application/json': refused } });
};

/**
 * REST API Gateway answers HEAD only where a HEAD method exists, so every GET route
 * gets one beside it, to the same function; the topology declares GET alone. The
 * handler reads HEAD as GET (functions/http/http-request.ts) and API Gateway sends no
 * body on a HEAD answer, as the local gateway does.
 */
export const methodsFor = (route: HttpRoute): readonly string[] =>
  route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];

/**
 * The REST API (REST rather than HTTP API so a WAF web ACL can be attached).
 * Every route is a Lambda proxy integration; CORS preflight is answered by the
 * handlers so the cloud and the local gateway behave the same.
 */
export class RapportApi extends Construct {
  static readonly stageName = 'api';
  readonly restApi: apigateway.RestApi;
  constructor(scope: Construct, id: string, props: RapportApiProps) {
    super(scope, id);
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `${Stack.of(this).stackName}-api`,
      description: 'Rapport public pages, signup and admin API.',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        ...stageOptions(accessLogs, props.throttle),
        methodOptions: publicWriteThrottling(props),
      },
    });

    answerBusyCallersWithRetryAfter(this.restApi);
    answerRefusedCredentialsAlike(this.restApi);
    if (props.waf)
      new SignupFirewall(this, 'Firewall', {
        stage: this.restApi.deploymentStage,
        signupsPerFiveMinutes: wafSignupsPerFiveMinutes,
      });
    this.acknowledgeNagFindings(props.waf);
  }

  /** The account's API Gateway logging role setting; another API's stage logs only once it exists. */
  get cloudWatchAccount(): IConstruct | undefined {
    return this.restApi.node.tryFindChild('Account');
  }

  /**
   * The stage's base URL, built from the API id rather than from the stage
   * resource: the functions carry it in their environment, and the stage
   * depends on the methods, which depend on the functions.
   */
  get baseUrl(): string {
    const stack = Stack.of(this);
    return `https://${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${RapportApi.stageName}`;
  }

  addRoutes(spec: FunctionSpec & { trigger: HttpTrigger }, handler: lambda.IFunction): void {
    // One permission per function for the whole API, as on the console's: one per method took the
    // stack past CloudFormation's 500 resources (docs/architecture.md, Decision 60).
    const integration = new apigateway.LambdaIntegration(handler, { scopePermissionToMethod: false });
    for (const route of spec.trigger.routes) {
      const resource = this.restApi.root.resourceForPath(route.path);
      for (const httpMethod of methodsFor(route)) {
        const method = resource.addMethod(httpMethod, integration, this.methodOptions(route));
        this.acknowledgeMethodFindings(method, httpMethod, route);
      }
    }
  }

  private methodOptions(route: HttpRoute): apigateway.MethodOptions {
    return {
      authorizationType:
        route.auth === 'admin' ? apigateway.AuthorizationType.IAM : apigateway.AuthorizationType.NONE,
    };
  }

  private acknowledgeMethodFindings(method: apigateway.Method, httpMethod: string, route: HttpRoute): void {
    if (route.auth === 'public') {
      acknowledgeOnResource(
        method,
        {
          id: 'AwsSolutions-APIG4',
          reason: `${httpMethod} ${route.path} is a public page or form for website visitors and email recipients; signed tokens, not callers, are checked.`,
        },
        {
          id: 'AwsSolutions-COG4',
          reason: `${httpMethod} ${route.path} is public by design (signup, confirmation, unsubscribe, preferences); the console user pool is for marketers.`,
        },
      );
    } else {
      acknowledgeOnResource(method, {
        id: 'AwsSolutions-COG4',
        reason:
          'Admin routes here take IAM (SigV4) for the CLI; the console reaches the same functions through the Cognito-authorized console API.',
      });
    }
  }

  private acknowledgeNagFindings(waf: boolean): void {
    acknowledgeOnResource(this.restApi, {
      id: 'AwsSolutions-APIG2',
      reason:
        'Handlers validate every body and query with zod and answer 4xx naming the field; proxy integrations pass bodies as-is.',
    });
    if (!waf)
      acknowledgeOnResource(this.restApi.deploymentStage, {
        id: 'AwsSolutions-APIG3',
        reason:
          'WAF is optional (rapport:waf=true) since it costs $5 a month and up; the signup function limits callers itself.',
      });
    const cloudWatchRole = this.restApi.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole !== undefined) {
      acknowledgeOnResource(cloudWatchRole, {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          'API Gateway needs this account-level role to write access and execution logs; AWS maintains the policy.',
      });
    }
  }
}

import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { declaredRoute } from '../../infra/topology.js';
import { type AdminChange, recordAdminChange } from '../../lib/app/admin-audit.js';
import { type AdminCaller, adminCallerOf, ForbiddenError, roleCovers } from '../../lib/domain/admin-role.js';
import { PayloadTooLargeError } from '../../lib/domain/errors.js';
import { maxRequestBodyBytes } from '../../lib/domain/request-limits.js';
import { perEnvironment } from '../dependencies.js';
import { errorAsJson, errorAsPage, httpErrorOf } from '../http/error-responses.js';
import type { BodyPolicy } from '../http/http-request.js';
import { decodeHttpRequest } from '../http/http-request.js';
import { dispatchTo, type RouteMap } from '../http/route-map.js';
import { logger, metrics, observability } from './observability.js';

export interface HttpChainOptions {
  /** Pages answer errors with a readable page when the caller is a browser; APIs always with JSON. */
  errors: 'json' | 'page-for-browsers';
  /** Default `strict`. */
  body?: BodyPolicy;
  /** Text media types the routes take besides JSON and forms, e.g. `text/csv` for an import. */
  textTypes?: readonly string[];
  /** The largest body the routes read; default `maxRequestBodyBytes`. */
  maxBodyBytes?: number;
}

/**
 * Refuses a body over the limit from its length alone, before it is decoded or parsed:
 * API Gateway hands a function up to 6 MB, and parsing that much JSON is work for nothing.
 */
const refuseLargeBody = (event: APIGatewayProxyEvent, maxBodyBytes: number): void => {
  if (event.body === null || event.body === undefined) return;
  const bytes = Buffer.byteLength(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (bytes > maxBodyBytes)
    throw new PayloadTooLargeError(`the body is ${bytes} bytes; this route takes at most ${maxBodyBytes}`);
};

const acceptsHtml = (event: APIGatewayProxyEvent): boolean =>
  Object.entries(event.headers ?? {}).some(
    ([name, value]) => name.toLowerCase() === 'accept' && (value ?? '').includes('text/html'),
  );

/** Counts answers by class: a surge of 4xx on signup is how a bot attack shows. */
const countAnswer = (status: number): void => {
  metrics.addMetric(
    status >= 500 ? 'ServerErrors' : status >= 400 ? 'ClientErrors' : 'Responses',
    MetricUnit.Count,
    1,
  );
};

/** CORS for the configured origins only: those of the invocation's environment. */
const corsOfEnvironment = perEnvironment(({ env }) =>
  httpCors({
    origins: env.ALLOWED_ORIGINS,
    methods: 'GET,POST,OPTIONS',
    headers: 'Content-Type,Accept',
    maxAge: 600,
    disableBeforePreflightResponse: false,
  }),
);
const cors: middy.MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> = {
  before: (request) => corsOfEnvironment().before?.(request),
  after: (request) => corsOfEnvironment().after?.(request),
  onError: (request) => corsOfEnvironment().onError?.(request),
};

const auditDeps = perEnvironment(({ audit, clock, ids }) => ({ audit, clock, ids }));

/**
 * The caller of an admin route, refused (ForbiddenError, a 403 naming the role)
 * when its role is below the least one the topology declares for the route.
 * Authentication is the gateway's: IAM or the Cognito user pool in the cloud,
 * the bearer tokens locally. Undefined for a public route.
 */
const authorize = (event: APIGatewayProxyEvent): { caller: AdminCaller; dryRun: boolean } | undefined => {
  const method = event.httpMethod.toUpperCase();
  // HEAD is served through GET (decodeHttpRequest), so it needs what GET needs.
  const route = declaredRoute(method === 'HEAD' ? 'GET' : method, event.resource);
  if (route?.role === undefined) return undefined;
  const caller = adminCallerOf(event.requestContext);
  if (caller === undefined || !roleCovers(caller.role, route.role))
    throw new ForbiddenError(route.role, caller?.role);
  return { caller, dryRun: route.dryRun === true };
};

const auditedMethods = new Set<string>(['POST', 'PUT', 'DELETE'] satisfies Array<AdminChange['method']>);
const isAuditedMethod = (method: string): method is AdminChange['method'] => auditedMethods.has(method);

const jsonBodyOf = (response: APIGatewayProxyResult): unknown => {
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
};

/**
 * Records a change the admin API answered with success. The change is made by
 * then, so a failure to record it is logged (with the entry's keys, no bodies)
 * and counted rather than turned into an error the caller would retry the change on.
 */
const recordChange = async (change: AdminChange): Promise<void> => {
  try {
    await recordAdminChange(auditDeps(), change);
  } catch (error) {
    logger.error('audit entry not written', {
      error,
      actor: change.caller.id,
      method: change.method,
      route: change.route,
      target: change.pathParameters,
    });
    metrics.addMetric('AuditWriteFailures', MetricUnit.Count, 1);
  }
};

/**
 * The middy chain every HTTP handler uses: Powertools, CORS for the configured
 * origins only (preflight answered here, in both runtimes), request decoding,
 * dispatch on the route key to one of the function's routes, and errors mapped
 * to responses in one place. On an admin route it also refuses a caller whose
 * role is below the route's, before anything is read, and appends every
 * successful change to the audit log (docs/roles-and-audit.md).
 */
export const httpHandler = (routes: RouteMap, options: HttpChainOptions) => {
  const dispatch = dispatchTo(routes);
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(observability())
    .use(cors)
    .use({
      onError: async (request) => {
        const description = httpErrorOf(request.error);
        if (description.status >= 500) logger.error('request failed', { error: request.error });
        else logger.info('request refused', { code: description.code });
        request.response =
          options.errors === 'page-for-browsers' && acceptsHtml(request.event)
            ? errorAsPage(description)
            : errorAsJson(description);
        countAnswer(request.response.statusCode);
      },
      after: async (request) => countAnswer(request.response?.statusCode ?? 500),
    })
    .handler(async (event) => {
      const admin = authorize(event);
      refuseLargeBody(event, options.maxBodyBytes ?? maxRequestBodyBytes);
      const decoded = await decodeHttpRequest(event, options.body ?? 'strict', options.textTypes);
      const request = admin === undefined ? decoded : { ...decoded, caller: admin.caller };
      const response = await dispatch(request);
      const { method } = request;
      if (
        admin !== undefined &&
        !admin.dryRun &&
        isAuditedMethod(method) &&
        response.statusCode >= 200 &&
        response.statusCode < 300
      ) {
        await recordChange({
          caller: admin.caller,
          method,
          route: request.resource,
          pathParameters: request.pathParameters,
          status: response.statusCode,
          requestBody: request.body,
          responseBody: jsonBodyOf(response),
        });
      }
      return response;
    });
};

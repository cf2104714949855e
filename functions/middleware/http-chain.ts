import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
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
}

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

/**
 * The middy chain every HTTP handler uses: Powertools, CORS for the configured
 * origins only (preflight answered here, in both runtimes), request decoding,
 * dispatch on the route key to one of the function's routes, and errors mapped
 * to responses in one place.
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
    .handler(async (event) =>
      dispatch(await decodeHttpRequest(event, options.body ?? 'strict', options.textTypes)),
    );
};

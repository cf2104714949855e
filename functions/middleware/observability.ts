import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type middy from '@middy/core';
import { metricsNamespace } from '../../lib/config/metric-names.js';

/** One logger, metrics and tracer per function instance; every chain shares them. */
export const logger = new Logger();
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? metricsNamespace,
});
export const tracer = new Tracer();

/** Powertools, in the order that lets the logger see the tracer's segment and metrics flush last. */
export const observability = (): middy.MiddlewareObj[] => [
  captureLambdaHandler(tracer),
  injectLambdaContext(logger, { resetKeys: true }),
  logMetrics(metrics),
];

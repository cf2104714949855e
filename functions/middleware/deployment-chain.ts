import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { metrics, observability } from './observability.js';

export interface DeploymentResult {
  PhysicalResourceId: string;
  Data?: Record<string, string>;
}

/**
 * The chain for functions run at deployment by the custom-resource provider
 * (and once at local start). Delete does nothing: content outlives a stack update.
 */
export const deploymentHandler = (physicalId: string, useCase: () => Promise<Record<string, string>>) =>
  middy<CloudFormationCustomResourceEvent, DeploymentResult, Error, Context>()
    .use(observability())
    .handler(async (event) => {
      metrics.addMetric(`Deployment${event.RequestType}`, MetricUnit.Count, 1);
      if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
      return { PhysicalResourceId: physicalId, Data: await useCase() };
    });

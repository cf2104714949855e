import { Template } from 'aws-cdk-lib/assertions';
import { z } from 'zod';
import { createRapportApp, type RapportApp } from '../../infra/cloud/rapport-app.js';
import type { FunctionSpec } from '../../infra/topology.js';

/** The context cdk.json ships with, made explicit so tests do not depend on the file. */
export const baseContext: Record<string, string> = {
  'rapport:senderEmail': 'Rapport <hello@example.com>',
  'rapport:allowedOrigins': 'https://www.example.com,https://shop.example.com',
  'rapport:postalAddress': 'Rapport Example Ltd, 1 Example Street, Springfield 12345, USA',
  'rapport:publicBaseUrl': '',
  'rapport:sesIdentity': 'example.com',
  'rapport:alarmEmail': 'ops@example.com',
};

export interface SynthOptions {
  context?: Record<string, unknown>;
  /** Real esbuild bundling of every function; slow, so only the bundling test turns it on. */
  bundle?: boolean;
  nag?: boolean;
  topology?: readonly FunctionSpec[];
}

export interface Synthesized extends RapportApp {
  template: Template;
}

export const synthRapport = (options: SynthOptions = {}): Synthesized => {
  const rapport = createRapportApp({
    context: {
      ...baseContext,
      ...options.context,
      // An empty list skips asset bundling for every stack.
      ...(options.bundle === true ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
    nag: options.nag ?? false,
    topology: options.topology,
  });
  return { ...rapport, template: Template.fromStack(rapport.stack) };
};

const CfnResource = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).default({}),
  Metadata: z.record(z.string(), z.unknown()).default({}),
  DependsOn: z.union([z.string(), z.array(z.string())]).optional(),
});
export type CfnResource = z.infer<typeof CfnResource>;
const CfnTemplate = z.object({ Resources: z.record(z.string(), CfnResource) });

export const resourcesOf = (template: Template): Record<string, CfnResource> =>
  CfnTemplate.parse(template.toJSON()).Resources;

export const resourcesOfType = (template: Template, type: string): Array<[string, CfnResource]> =>
  Object.entries(resourcesOf(template)).filter(([, resource]) => resource.Type === type);

const Tags = z.array(z.object({ Key: z.string(), Value: z.unknown() }));

/** Topology entry name → logical id of its Lambda function, found through the function's tag. */
export const functionsByEntry = (template: Template): Map<string, string> => {
  const byEntry = new Map<string, string>();
  for (const [logicalId, resource] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const tags = Tags.safeParse(resource.Properties.Tags);
    const tag = tags.success ? tags.data.find((entry) => entry.Key === 'rapport:function') : undefined;
    if (typeof tag?.Value === 'string') byEntry.set(tag.Value, logicalId);
  }
  return byEntry;
};

/** The environment variables one function (by topology entry) is deployed with, synthesized with `context`. */
export const functionEnvironment = (
  entry: string,
  context: Record<string, unknown>,
): Record<string, unknown> => {
  const { template } = synthRapport({ context });
  const id = functionsByEntry(template).get(entry) ?? '';
  const environment = resourcesOf(template)[id]?.Properties.Environment;
  return typeof environment === 'object' && environment !== null && 'Variables' in environment
    ? Object.fromEntries(Object.entries(environment.Variables ?? {}))
    : {};
};

/** Every logical id a value references through Ref, Fn::GetAtt or ${…} in Fn::Sub. */
export const referencedIds = (value: unknown): Set<string> => {
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, inner] of Object.entries(node)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner) && typeof inner[0] === 'string')
        found.add(inner[0]);
      else if (key === 'Fn::Sub' && typeof inner === 'string') {
        for (const match of inner.matchAll(/\$\{([A-Za-z0-9]+)[.}]/g)) if (match[1]) found.add(match[1]);
      } else visit(inner);
    }
  };
  visit(value);
  return found;
};

export interface ApiRoute {
  method: string;
  path: string;
  authorizationType: string;
  /** Logical ids of the Lambda functions the integration invokes. */
  targets: Set<string>;
}

const ApiResourceProps = z.object({ PathPart: z.string(), ParentId: z.unknown() });
const MethodProps = z.object({
  HttpMethod: z.string(),
  AuthorizationType: z.string(),
  ResourceId: z.unknown(),
  Integration: z.object({ Type: z.string(), Uri: z.unknown() }),
});

/** The REST API's methods with their full paths, rebuilt from the nested resources. */
export const apiRoutes = (template: Template): ApiRoute[] => {
  const parts = new Map(
    resourcesOfType(template, 'AWS::ApiGateway::Resource').map(([id, resource]) => [
      id,
      ApiResourceProps.parse(resource.Properties),
    ]),
  );
  const pathOf = (resourceRef: unknown): string => {
    const [id] = referencedIds(resourceRef);
    const part = id === undefined ? undefined : parts.get(id);
    if (part === undefined) return ''; // the root resource (Fn::GetAtt RestApi.RootResourceId)
    return `${pathOf(part.ParentId)}/${part.PathPart}`;
  };
  const functionIds = new Set(resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id));
  return resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, resource]) => {
    const props = MethodProps.parse(resource.Properties);
    return {
      method: props.HttpMethod,
      path: pathOf(props.ResourceId) || '/',
      authorizationType: props.AuthorizationType,
      targets: new Set([...referencedIds(props.Integration.Uri)].filter((id) => functionIds.has(id))),
    };
  });
};

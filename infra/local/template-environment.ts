import { isRecord } from '../../lib/domain/is-record.js';
import { functionTagKey } from '../topology.js';

/**
 * A function's environment as its CloudFormation template declares it, made into
 * the strings a process gets. Values are literals or intrinsic functions over the
 * stack's resources (Ref, Fn::GetAtt, Fn::Join, Fn::Sub); they are resolved against
 * the values the resources have where the function runs: the local runtime's
 * stand-ins under `npm start -- --bundles`, or values shaped as AWS gives them when a
 * test checks a template. Anything else is refused by name rather than guessed at.
 */

export interface TemplateResource {
  Type: string;
  Properties: Record<string, unknown>;
}

/** Where the stack's resources live: the pseudo parameters, and the names the runtime gives them. */
export interface ResourceValues {
  region: string;
  accountId: string;
  /** The table every Ref of an AWS::DynamoDB::Table gives (the stack has one). */
  tableName: string;
  /** The bus every Ref of an AWS::Events::EventBus gives (the stack has one of its own). */
  eventBusName: string;
  /**
   * Where the queues' URLs point (the SDK sends each call to its queue's URL);
   * default SQS's own, `https://sqs.<region>.amazonaws.com`.
   */
  queueOrigin?: string;
}

export class UnresolvableValueError extends Error {
  override readonly name = 'UnresolvableValueError';
}

const propertyText = (resource: TemplateResource, property: string): string | undefined => {
  const value = resource.Properties[property];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * What Ref (attribute undefined) or Fn::GetAtt gives for one resource, by its type;
 * undefined for a resource or attribute the runtime has no value for. A name the
 * template leaves to CloudFormation is the logical id.
 */
export const resourceValue = (
  values: ResourceValues,
  logicalId: string,
  resource: TemplateResource,
  attribute: string | undefined,
): string | undefined => {
  const { region, accountId } = values;
  const arn = (service: string, rest: string) => `arn:aws:${service}:${region}:${accountId}:${rest}`;
  switch (resource.Type) {
    case 'AWS::DynamoDB::Table': {
      const tableArn = arn('dynamodb', `table/${values.tableName}`);
      if (attribute === undefined) return values.tableName;
      if (attribute === 'Arn') return tableArn;
      return attribute === 'StreamArn' ? `${tableArn}/stream/local` : undefined;
    }
    case 'AWS::Events::EventBus': {
      if (attribute === undefined || attribute === 'Name') return values.eventBusName;
      return attribute === 'Arn' ? arn('events', `event-bus/${values.eventBusName}`) : undefined;
    }
    case 'AWS::SecretsManager::Secret': {
      const name = propertyText(resource, 'Name') ?? logicalId;
      return attribute === undefined || attribute === 'Id'
        ? arn('secretsmanager', `secret:${name}`)
        : undefined;
    }
    case 'AWS::SES::ConfigurationSet':
      return attribute === undefined ? (propertyText(resource, 'Name') ?? logicalId) : undefined;
    case 'AWS::SNS::Topic': {
      const name = propertyText(resource, 'TopicName') ?? logicalId;
      if (attribute === undefined || attribute === 'TopicArn') return arn('sns', name);
      return attribute === 'TopicName' ? name : undefined;
    }
    case 'AWS::SQS::Queue': {
      const name = propertyText(resource, 'QueueName') ?? logicalId;
      if (attribute === undefined || attribute === 'QueueUrl')
        return `${values.queueOrigin ?? `https://sqs.${region}.amazonaws.com`}/${accountId}/${name}`;
      if (attribute === 'Arn') return arn('sqs', name);
      return attribute === 'QueueName' ? name : undefined;
    }
    case 'AWS::Lambda::Function': {
      // The runtime names each function by its topology entry, which the function's tag carries.
      const tags = resource.Properties.Tags;
      const tag = Array.isArray(tags)
        ? tags.find((entry) => isRecord(entry) && entry.Key === functionTagKey)
        : undefined;
      const name = isRecord(tag) && typeof tag.Value === 'string' ? tag.Value : undefined;
      if (name === undefined) return undefined;
      if (attribute === undefined) return name;
      return attribute === 'Arn' ? arn('lambda', `function:${name}`) : undefined;
    }
    case 'AWS::ApiGateway::RestApi':
      // The REST API's id; a URL built from it names API Gateway, which only exists in AWS.
      return attribute === undefined || attribute === 'RestApiId' ? logicalId.toLowerCase() : undefined;
    default:
      return undefined;
  }
};

const pseudoParameter = (values: ResourceValues, name: string): string | undefined => {
  switch (name) {
    case 'AWS::Region':
      return values.region;
    case 'AWS::AccountId':
      return values.accountId;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    default:
      return undefined;
  }
};

/**
 * Resolves one value of a template against `values`; `where` names it in an error
 * (`deliver's TABLE_NAME`). Throws UnresolvableValueError for an intrinsic, a
 * resource or an attribute it has no value for.
 */
export const resolveTemplateValue = (
  value: unknown,
  resources: Readonly<Record<string, TemplateResource>>,
  values: ResourceValues,
  where: string,
): string => {
  const refuse = (what: string): never => {
    throw new UnresolvableValueError(`${where}: ${what}`);
  };
  const reference = (logicalId: string, attribute: string | undefined): string => {
    const pseudo = attribute === undefined ? pseudoParameter(values, logicalId) : undefined;
    if (pseudo !== undefined) return pseudo;
    const resource = resources[logicalId];
    if (resource === undefined) return refuse(`names "${logicalId}", which is not in the template`);
    const resolved = resourceValue(values, logicalId, resource, attribute);
    if (resolved === undefined) {
      const what = attribute === undefined ? 'Ref' : `Fn::GetAtt ${attribute}`;
      return refuse(`${what} of ${logicalId} (${resource.Type}) has no value here`);
    }
    return resolved;
  };
  const substitute = (text: string, variables: Record<string, unknown>): string =>
    text.replace(/\$\{(!?)([^}]+)\}/g, (_match, literal: string, name: string) => {
      if (literal === '!') return `\${${name}}`;
      if (name in variables) return resolve(variables[name]);
      const [logicalId = '', attribute] = name.split('.', 2);
      return reference(logicalId, attribute);
    });
  const resolve = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (typeof node === 'number' || typeof node === 'boolean') return String(node);
    if (!isRecord(node)) return refuse(`${JSON.stringify(node)} is not a value`);
    const [name, ...others] = Object.keys(node);
    if (name === undefined || others.length > 0)
      return refuse(`${JSON.stringify(node)} is not one intrinsic function`);
    const argument = node[name];
    if (name === 'Ref' && typeof argument === 'string') return reference(argument, undefined);
    if (name === 'Fn::GetAtt') {
      const [logicalId, attribute] = Array.isArray(argument)
        ? argument
        : typeof argument === 'string'
          ? argument.split('.', 2)
          : [];
      if (typeof logicalId === 'string' && typeof attribute === 'string')
        return reference(logicalId, attribute);
    }
    if (name === 'Fn::Join' && Array.isArray(argument)) {
      const [separator, parts] = argument;
      if (typeof separator === 'string' && Array.isArray(parts)) return parts.map(resolve).join(separator);
    }
    if (name === 'Fn::Sub') {
      if (typeof argument === 'string') return substitute(argument, {});
      if (Array.isArray(argument) && typeof argument[0] === 'string' && isRecord(argument[1]))
        return substitute(argument[0], argument[1]);
    }
    return refuse(`${name} is not resolved here (only Ref, Fn::GetAtt, Fn::Join and Fn::Sub are)`);
  };
  return resolve(value);
};

/** A function's declared variables with every value resolved. */
export const resolveTemplateVariables = (
  functionName: string,
  variables: Readonly<Record<string, unknown>>,
  resources: Readonly<Record<string, TemplateResource>>,
  values: ResourceValues,
): Record<string, string> =>
  Object.fromEntries(
    Object.entries(variables).map(([name, value]) => [
      name,
      resolveTemplateValue(value, resources, values, `${functionName}'s ${name}`),
    ]),
  );

export interface LambdaRuntimeSettings {
  functionName: string;
  memoryMb: number;
  /** The function's Handler setting, e.g. `index.handler`. */
  handler: string;
  /** The function's Runtime setting, e.g. `nodejs22.x`. */
  runtime: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/**
 * The variables Lambda itself sets in every function's process, which a template
 * cannot declare (they are reserved): the region, the execution role's keys, and
 * what the function is. Left out on purpose: TZ (process-wide in Node, so a worker
 * thread cannot have its own), LAMBDA_TASK_ROOT (it switches the X-Ray SDK into its
 * Lambda mode, which writes under /tmp and expects Lambda's trace header), and the
 * log stream, runtime API and trace header, which belong to Lambda's own machinery.
 */
export const lambdaRuntimeVariables = (settings: LambdaRuntimeSettings): Record<string, string> => ({
  _HANDLER: settings.handler,
  AWS_REGION: settings.region,
  AWS_DEFAULT_REGION: settings.region,
  AWS_EXECUTION_ENV: `AWS_Lambda_${settings.runtime}`,
  AWS_LAMBDA_FUNCTION_NAME: settings.functionName,
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMb),
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
  AWS_ACCESS_KEY_ID: settings.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: settings.credentials.secretAccessKey,
  ...(settings.credentials.sessionToken === undefined
    ? {}
    : { AWS_SESSION_TOKEN: settings.credentials.sessionToken }),
});

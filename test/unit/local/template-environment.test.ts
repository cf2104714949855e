import { describe, expect, it } from 'vitest';
import {
  lambdaRuntimeVariables,
  type ResourceValues,
  resolveTemplateVariables,
  type TemplateResource,
  UnresolvableValueError,
} from '../../../infra/local/template-environment.js';

const local: ResourceValues = {
  region: 'us-east-1',
  accountId: '000000000000',
  tableName: 'rapport-local',
  eventBusName: 'rapport',
};

const resources: Record<string, TemplateResource> = {
  DataTable: { Type: 'AWS::DynamoDB::Table', Properties: {} },
  Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'shop-events' } },
  Keys: { Type: 'AWS::SecretsManager::Secret', Properties: {} },
  Feedback: { Type: 'AWS::SES::ConfigurationSet', Properties: {} },
  Sms: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'inbound-sms' } },
  Dlq: { Type: 'AWS::SQS::Queue', Properties: {} },
  Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
  Layer: { Type: 'AWS::Lambda::LayerVersion', Properties: {} },
};

// biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own placeholders, not JavaScript's
const streamSub = '${DataTable.StreamArn} in ${AWS::AccountId}, not ${!Literal}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's own placeholders, not JavaScript's
const queuesSub = '[{"url":"${url}"}]';
/** What `${!Literal}` stands for once substituted: the placeholder, written out. */
const escaped = ['$', '{Literal}'].join('');

const resolve = (variables: Record<string, unknown>) =>
  resolveTemplateVariables('deliver', variables, resources, local);

describe('resolving what a template declares for a function', () => {
  it('keeps literals and gives each resource the value the runtime has for it', () => {
    expect(
      resolve({
        SENDER_EMAIL: 'Shop <news@example.com>',
        TABLE_NAME: { Ref: 'DataTable' },
        EVENT_BUS_NAME: { Ref: 'Bus' },
        TOKEN_KEYS_SECRET_ARN: { Ref: 'Keys' },
        SES_CONFIGURATION_SET: { Ref: 'Feedback' },
        TOPIC: { Ref: 'Sms' },
        QUEUE: { Ref: 'Dlq' },
      }),
    ).toEqual({
      SENDER_EMAIL: 'Shop <news@example.com>',
      TABLE_NAME: 'rapport-local',
      // The runtime's own bus, whatever the stack names its bus.
      EVENT_BUS_NAME: 'rapport',
      TOKEN_KEYS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:Keys',
      SES_CONFIGURATION_SET: 'Feedback',
      TOPIC: 'arn:aws:sns:us-east-1:000000000000:inbound-sms',
      QUEUE: 'https://sqs.us-east-1.amazonaws.com/000000000000/Dlq',
    });
  });

  it('resolves Fn::GetAtt in both of its forms', () => {
    expect(
      resolve({
        TABLE_ARN: { 'Fn::GetAtt': ['DataTable', 'Arn'] },
        BUS_ARN: { 'Fn::GetAtt': 'Bus.Arn' },
      }),
    ).toEqual({
      TABLE_ARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/rapport-local',
      BUS_ARN: 'arn:aws:events:us-east-1:000000000000:event-bus/rapport',
    });
  });

  it('joins, and substitutes resources, attributes, pseudo parameters and its own variables', () => {
    expect(
      resolve({
        PUBLIC_BASE_URL: {
          'Fn::Join': [
            '',
            [
              'https://',
              { Ref: 'Api' },
              '.execute-api.',
              { Ref: 'AWS::Region' },
              '.',
              { Ref: 'AWS::URLSuffix' },
              '/api',
            ],
          ],
        },
        STREAM: { 'Fn::Sub': streamSub },
        QUEUES: { 'Fn::Sub': [queuesSub, { url: { Ref: 'Dlq' } }] },
      }),
    ).toEqual({
      PUBLIC_BASE_URL: 'https://api.execute-api.us-east-1.amazonaws.com/api',
      STREAM: `arn:aws:dynamodb:us-east-1:000000000000:table/rapport-local/stream/local in 000000000000, not ${escaped}`,
      QUEUES: '[{"url":"https://sqs.us-east-1.amazonaws.com/000000000000/Dlq"}]',
    });
  });

  it("points a queue's URL where the queues are said to be", () => {
    const queue = resolveTemplateVariables('intake', { QUEUE: { Ref: 'Dlq' } }, resources, {
      ...local,
      queueOrigin: 'http://127.0.0.1:41235',
    });

    expect(queue).toEqual({ QUEUE: 'http://127.0.0.1:41235/000000000000/Dlq' });
  });

  describe('when a value names what the runtime has no value for', () => {
    it('refuses a resource type it does not know, naming the function, the variable and the resource', () => {
      expect(() => resolve({ LAYER: { Ref: 'Layer' } })).toThrow(
        new UnresolvableValueError(
          "deliver's LAYER: Ref of Layer (AWS::Lambda::LayerVersion) has no value here",
        ),
      );
    });

    it('refuses an attribute it does not know', () => {
      expect(() => resolve({ X: { 'Fn::GetAtt': ['DataTable', 'StreamLabel'] } })).toThrow(
        /deliver's X: Fn::GetAtt StreamLabel of DataTable \(AWS::DynamoDB::Table\)/,
      );
    });

    it('refuses a logical id the template lacks', () => {
      expect(() => resolve({ X: { Ref: 'Gone' } })).toThrow(/deliver's X: names "Gone"/);
    });

    it('refuses an intrinsic function it does not resolve', () => {
      expect(() => resolve({ X: { 'Fn::ImportValue': 'shared-table' } })).toThrow(
        /deliver's X: Fn::ImportValue is not resolved here/,
      );
    });
  });
});

describe("the variables Lambda sets in a function's process", () => {
  const settings = {
    functionName: 'deliver',
    memoryMb: 1024,
    handler: 'index.handler',
    runtime: 'nodejs22.x',
    region: 'us-east-1',
  };

  it('name the function, its runtime, its region and its keys', () => {
    expect(
      lambdaRuntimeVariables({
        ...settings,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
    ).toEqual({
      _HANDLER: 'index.handler',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      AWS_LAMBDA_FUNCTION_NAME: 'deliver',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
  });

  it("carry the role's session token when it has one", () => {
    const variables = lambdaRuntimeVariables({
      ...settings,
      credentials: { accessKeyId: 'ASIA', secretAccessKey: 'secret', sessionToken: 'token' },
    });

    expect(variables.AWS_SESSION_TOKEN).toBe('token');
  });
});

import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRapportApp } from '../../infra/cloud/rapport-app.js';
import { InvalidStackConfigError } from '../../infra/cloud/stack-config.js';
import { topology } from '../../infra/topology.js';
import {
  apiRoutes,
  baseContext,
  functionsByEntry,
  referencedIds,
  resourcesOf,
  resourcesOfType,
  synthRapport,
} from './synth-rapport.js';

const withoutBundling = { 'aws:cdk:bundling-stacks': [] };

describe('the Rapport stack', () => {
  let template: Template;
  let functionIds: Map<string, string>;

  beforeAll(() => {
    template = synthRapport().template;
    functionIds = functionsByEntry(template);
  });

  const functionId = (name: string): string => {
    const id = functionIds.get(name);
    if (id === undefined) throw new Error(`no function tagged ${name}`);
    return id;
  };

  describe('the table', () => {
    it('is on-demand with point-in-time recovery, a new-and-old-image stream and TTL on expiresAt', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('has one sparse keys-only index for listing running enrollments by journey and contacts', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
      });
    });

    it('survives stack deletion: deletion protection on and retained', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      });
    });
  });

  describe('every topology function', () => {
    it('runs nodejs22.x on arm64 with active tracing and the memory and timeout from the topology', () => {
      for (const spec of topology) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          Tags: Match.arrayWith([{ Key: 'rapport:function', Value: spec.name }]),
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          MemorySize: spec.memoryMb,
          Timeout: spec.timeoutSeconds,
          Handler: 'index.handler',
        });
      }
    });

    it('logs to its own log group kept for one month', () => {
      const resources = resourcesOf(template);
      for (const spec of topology) {
        const fn = resources[functionId(spec.name)];
        const [logGroupId] = referencedIds(fn?.Properties.LoggingConfig);
        expect(logGroupId, spec.name).toBeDefined();
        expect(resources[logGroupId ?? '']?.Properties.RetentionInDays, spec.name).toBe(30);
      }
    });

    it('gets the runtime environment its handler reads, named after its entry', () => {
      for (const spec of topology) {
        template.hasResourceProperties('AWS::Lambda::Function', {
          Tags: Match.arrayWith([{ Key: 'rapport:function', Value: spec.name }]),
          Environment: {
            Variables: Match.objectLike({
              TABLE_NAME: Match.anyValue(),
              PUBLIC_BASE_URL: Match.anyValue(),
              SENDER_EMAIL: baseContext['rapport:senderEmail'],
              POSTAL_ADDRESS: baseContext['rapport:postalAddress'],
              ALLOWED_ORIGINS: 'https://www.example.com,https://shop.example.com',
              POWERTOOLS_SERVICE_NAME: spec.name,
              POWERTOOLS_METRICS_NAMESPACE: 'Rapport',
              NODE_OPTIONS: '--enable-source-maps',
              TOKEN_KEYS_SECRET_ARN: spec.access.tokenKeys ? Match.anyValue() : Match.absent(),
              SES_CONFIGURATION_SET: spec.access.sendEmail ? Match.anyValue() : Match.absent(),
              CONTENT_ROOT: Match.absent(),
            }),
          },
        });
      }
    });

    it('builds PUBLIC_BASE_URL from the REST API id and the literal stage name, not from the stage resource', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            PUBLIC_BASE_URL: {
              'Fn::Join': [
                '',
                [
                  'https://',
                  { Ref: Match.stringLikeRegexp('^ApiRestApi') },
                  '.execute-api.',
                  { Ref: 'AWS::Region' },
                  '.',
                  { Ref: 'AWS::URLSuffix' },
                  '/api',
                ],
              ],
            },
          }),
        },
      });
    });

    it('may only read the table when the topology says read', () => {
      const resources = resourcesOf(template);
      const policies = resourcesOfType(template, 'AWS::IAM::Policy');
      for (const spec of topology) {
        const roleIds = referencedIds(resources[functionId(spec.name)]?.Properties.Role);
        const actions = policies
          .filter(([, policy]) => [...referencedIds(policy.Properties.Roles)].some((id) => roleIds.has(id)))
          .flatMap(
            ([, policy]) => JSON.stringify(policy.Properties.PolicyDocument).match(/dynamodb:\w+/g) ?? [],
          );
        expect(actions, spec.name).toContain('dynamodb:GetItem');
        if (spec.access.table === 'read') expect(actions, spec.name).not.toContain('dynamodb:PutItem');
        else expect(actions, spec.name).toContain('dynamodb:PutItem');
      }
    });

    it('may send email only when the topology says so, on the identity and the configuration set', () => {
      const resources = resourcesOf(template);
      const policies = resourcesOfType(template, 'AWS::IAM::Policy');
      for (const spec of topology) {
        const roleIds = referencedIds(resources[functionId(spec.name)]?.Properties.Role);
        const document = JSON.stringify(
          policies
            .filter(([, policy]) => [...referencedIds(policy.Properties.Roles)].some((id) => roleIds.has(id)))
            .map(([, policy]) => policy.Properties.PolicyDocument),
        );
        if (spec.access.sendEmail) {
          expect(document, spec.name).toContain(':identity/');
          expect(document, spec.name).toContain(':configuration-set/');
        } else {
          expect(document, spec.name).not.toContain('ses:SendEmail');
        }
      }
    });
  });

  describe('the REST API', () => {
    it('serves stage "api" with tracing, JSON access logs and default throttling of 50 rps / 100 burst', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'api',
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
        MethodSettings: Match.arrayWith([
          Match.objectLike({
            HttpMethod: '*',
            ResourcePath: '/*',
            ThrottlingRateLimit: 50,
            ThrottlingBurstLimit: 100,
          }),
        ]),
      });
    });

    it('throttles the public signup form post tighter than the stage', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        MethodSettings: Match.arrayWith([
          Match.objectLike({
            HttpMethod: 'POST',
            ResourcePath: '/~1v1~1signup',
            ThrottlingRateLimit: 25,
            ThrottlingBurstLimit: 50,
          }),
        ]),
      });
    });

    it('has a CloudWatch role so access logging can be switched on', () => {
      template.resourceCountIs('AWS::ApiGateway::Account', 1);
    });

    it('requires IAM auth on admin routes and none on public ones', () => {
      const routes = apiRoutes(template);
      for (const spec of topology) {
        if (spec.trigger.kind !== 'http') continue;
        for (const route of spec.trigger.routes) {
          const found = routes.find((entry) => entry.method === route.method && entry.path === route.path);
          expect(found?.authorizationType, `${route.method} ${route.path}`).toBe(
            route.auth === 'admin' ? 'AWS_IAM' : 'NONE',
          );
        }
      }
    });

    it('sends OPTIONS /v1/signup to the signup function rather than a mock integration', () => {
      const preflight = apiRoutes(template).find(
        (route) => route.method === 'OPTIONS' && route.path === '/v1/signup',
      );
      expect(preflight?.targets).toEqual(new Set([functionId('signup')]));
      template.resourcePropertiesCountIs('AWS::ApiGateway::Method', { Integration: { Type: 'MOCK' } }, 0);
    });
  });

  describe('the table stream consumers', () => {
    const streamSpecs = topology.flatMap((spec) =>
      spec.trigger.kind === 'table-stream' ? [{ ...spec, trigger: spec.trigger }] : [],
    );

    it.each(streamSpecs)(
      '$name reads the stream with its filters, batch limits and failure handling',
      (spec) => {
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: functionId(spec.name) },
          EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'StreamArn'] },
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: spec.trigger.batchSize,
          MaximumBatchingWindowInSeconds: spec.trigger.maxBatchingWindowSeconds,
          FilterCriteria: {
            Filters: spec.trigger.filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })),
          },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          BisectBatchOnFunctionError: spec.trigger.bisectBatchOnError,
          MaximumRetryAttempts: spec.trigger.retryAttempts,
          MaximumRecordAgeInSeconds: spec.trigger.maxRecordAgeSeconds,
          DestinationConfig: {
            OnFailure: {
              Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamsDeadLetterQueue'), 'Arn'] },
            },
          },
        });
      },
    );

    it('share one encrypted, TLS-only dead-letter queue that keeps messages 14 days', () => {
      template.hasResourceProperties('AWS::SQS::Queue', {
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      const [queueId] = resourcesOfType(template, 'AWS::SQS::Queue')
        .map(([id]) => id)
        .filter((id) => id.startsWith('StreamsDeadLetterQueue'));
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('SES feedback', () => {
    it('has a configuration set with reputation metrics and sending enabled', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        ReputationOptions: { ReputationMetricsEnabled: true },
        SendingOptions: { SendingEnabled: true },
      });
    });

    it('publishes every kind of sending event to the feedback topic', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: Match.arrayEquals([
            'send',
            'reject',
            'bounce',
            'complaint',
            'delivery',
            'deliveryDelay',
            'open',
            'click',
            'renderingFailure',
          ]),
          SnsDestination: { TopicARN: { Ref: Match.stringLikeRegexp('^SesFeedbackTopic') } },
        },
      });
    });

    it('encrypts the feedback topic with a key SES may use', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        DisplayName: 'Rapport SES feedback',
        KmsMasterKeyId: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'ses.amazonaws.com' },
              Action: Match.arrayWith(['kms:Decrypt']),
            }),
          ]),
        },
      });
    });

    it('subscribes the feedback function with a dead-letter queue', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'lambda',
        Endpoint: { 'Fn::GetAtt': [functionId('ses-feedback'), 'Arn'] },
        TopicArn: { Ref: Match.stringLikeRegexp('^SesFeedbackTopic') },
        RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
      });
    });

    it('creates the sender identity from rapport:sesIdentity with the configuration set as default', () => {
      template.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'example.com',
        ConfigurationSetAttributes: {
          ConfigurationSetName: { Ref: Match.stringLikeRegexp('^SesFeedbackConfigurationSet') },
        },
      });
    });
  });

  describe('alarms', () => {
    it('fire on any message in a dead-letter queue', () => {
      const queues = resourcesOfType(template, 'AWS::SQS::Queue').map(([id]) => id);
      expect(queues.length).toBeGreaterThanOrEqual(2);
      for (const queueId of queues) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmsTopic') }],
        });
      }
    });

    it('fire when a stream consumer falls more than a minute behind over five minutes', () => {
      for (const spec of topology.filter((entry) => entry.trigger.kind === 'table-stream')) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'IteratorAge',
          Namespace: 'AWS/Lambda',
          Statistic: 'Maximum',
          Period: 300,
          Threshold: 60_000,
          ComparisonOperator: 'GreaterThanThreshold',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(spec.name) } }],
        });
      }
    });

    it('fire on function errors', () => {
      for (const spec of topology) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId(spec.name) } }],
        });
      }
    });

    it('mail the address from rapport:alarmEmail', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: { Ref: Match.stringLikeRegexp('^AlarmsTopic') },
      });
    });
  });

  it('generates the token keys secret as {"current":"k1","k1":<64 characters>} without rotation', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        SecretStringTemplate: '{"current":"k1"}',
        GenerateStringKey: 'k1',
        ExcludePunctuation: true,
        PasswordLength: 64,
      },
    });
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  it('seeds content through a custom resource that re-runs when journeys/ or templates/ change', () => {
    template.hasResourceProperties('Custom::RapportContentSeed', {
      ServiceToken: Match.anyValue(),
      Function: 'seed-content',
      ContentHash: Match.stringLikeRegexp('^[0-9a-f]{64}$'),
    });
  });

  it('has no dependency cycle (CloudFormation would only find one at deploy)', () => {
    const resources = resourcesOf(template);
    const edges = new Map(
      Object.entries(resources).map(([id, resource]) => {
        const dependsOn = resource.DependsOn === undefined ? [] : [resource.DependsOn].flat();
        const refs = [...referencedIds(resource.Properties), ...dependsOn].filter((ref) => ref in resources);
        return [id, refs];
      }),
    );
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (id: string, trail: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(id)), id].join(' -> '));
        return;
      }
      state.set(id, 'visiting');
      for (const next of edges.get(id) ?? []) visit(next, [...trail, id]);
      state.set(id, 'done');
    };
    for (const id of edges.keys()) visit(id, []);
    expect(cycles).toEqual([]);
  });
});

describe('when context overrides the public URL and throttling', () => {
  let template: Template;

  beforeAll(() => {
    template = synthRapport({
      context: {
        'rapport:publicBaseUrl': 'https://news.example.com/',
        'rapport:throttleRateLimit': '20',
        'rapport:throttleBurstLimit': 40,
        'rapport:sesIdentity': '',
        'rapport:alarmEmail': '',
      },
    }).template;
  });

  it('hands the configured URL to the functions, without a trailing slash', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ PUBLIC_BASE_URL: 'https://news.example.com' }) },
    });
  });

  it('throttles the stage at the configured limits', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: 20,
          ThrottlingBurstLimit: 40,
        }),
      ]),
    });
  });

  it('creates no identity and grants sending on the sender address domain', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['ses:SendEmail', 'ses:SendRawEmail'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([':identity/example.com'])] },
          }),
        ]),
      },
    });
  });

  it('subscribes no one to the alarm topic', () => {
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email' }, 0);
  });
});

describe('when the context is invalid', () => {
  const synthWith = (context: Record<string, unknown>) => () =>
    createRapportApp({ context: { ...baseContext, ...withoutBundling, ...context }, nag: false });

  it('fails synth naming rapport:postalAddress when the postal address is missing', () => {
    const context: Record<string, unknown> = { ...baseContext, ...withoutBundling };
    delete context['rapport:postalAddress'];
    const synth = () => createRapportApp({ context, nag: false });
    expect(synth).toThrow(InvalidStackConfigError);
    expect(synth).toThrow(/rapport:postalAddress: is required/);
  });

  it('fails synth naming rapport:postalAddress when the postal address is blank', () => {
    expect(synthWith({ 'rapport:postalAddress': '   ' })).toThrow(/rapport:postalAddress/);
  });

  it('fails synth naming rapport:allowedOrigins when an origin is not https', () => {
    expect(synthWith({ 'rapport:allowedOrigins': 'http://www.example.com' })).toThrow(
      /rapport:allowedOrigins: "http:\/\/www.example.com" is not an https origin/,
    );
  });

  it('fails synth naming rapport:senderEmail when the sender is outside the SES identity', () => {
    expect(synthWith({ 'rapport:senderEmail': 'hello@other.example' })).toThrow(/rapport:senderEmail/);
  });
});

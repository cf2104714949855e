import { runInNewContext } from 'node:vm';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { methodsFor } from '../../infra/cloud/constructs/rapport-api.js';
import { spaRoutingCode } from '../../infra/cloud/constructs/spa-routing.js';
import { InvalidStackConfigError } from '../../infra/cloud/stack-config.js';
import { topology } from '../../infra/topology.js';
import {
  functionsByEntry,
  referencedIds,
  resourcesOf,
  resourcesOfType,
  type Synthesized,
  synthRapport,
} from './synth-rapport.js';

/** CloudFront's managed policies, by their fixed ids. */
const cachingDisabled = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const allViewerExceptHostHeader = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';

const adminEmails = 'Ann@Example.com, bob@example.com,ann@example.com';

const consoleTemplate = (synthesized: Synthesized): Template =>
  Template.fromStack(synthesized.stack.marketerConsole);

/** Runs the deployed CloudFront Function's code on a viewer request, as CloudFront would. */
const routeRequest = (code: string, uri: string): unknown =>
  runInNewContext(`${code}\nhandler(event);`, { event: { request: { uri, headers: {} } } });

const servedUri = (code: string, uri: string): string | undefined => {
  const result = routeRequest(code, uri);
  return typeof result === 'object' && result !== null && 'uri' in result && typeof result.uri === 'string'
    ? result.uri
    : undefined;
};

describe('the marketer console', () => {
  let synthesized: Synthesized;
  let template: Template;

  beforeAll(() => {
    synthesized = synthRapport({ context: { 'rapport:adminEmails': adminEmails } });
    template = consoleTemplate(synthesized);
  });

  const distributionConfig = (): Record<string, unknown> => {
    const [[, distribution] = ['', undefined]] = resourcesOfType(template, 'AWS::CloudFront::Distribution');
    const config = distribution?.Properties.DistributionConfig;
    if (typeof config !== 'object' || config === null) throw new Error('no distribution');
    return Object.fromEntries(Object.entries(config));
  };

  describe('its files', () => {
    it('sit in a private, encrypted bucket that only the distribution reads (origin access control)', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
      template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: Match.objectLike({
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
        }),
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 's3:GetObject',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
      const origins = distributionConfig().Origins;
      expect(JSON.stringify(origins)).toContain('OriginAccessControlId');
      expect(JSON.stringify(origins)).toContain('"OriginAccessIdentity":""');
    });

    it('are served over HTTPS only, with the security headers on every answer', () => {
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultCacheBehavior: Match.objectLike({
            ViewerProtocolPolicy: 'redirect-to-https',
            AllowedMethods: ['GET', 'HEAD'],
            ResponseHeadersPolicyId: Match.anyValue(),
          }),
          Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
        }),
      });
      template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
        ResponseHeadersPolicyConfig: Match.objectLike({
          SecurityHeadersConfig: {
            StrictTransportSecurity: {
              AccessControlMaxAgeSec: 63_072_000,
              IncludeSubdomains: true,
              Override: true,
            },
            ContentTypeOptions: { Override: true },
            FrameOptions: { FrameOption: 'DENY', Override: true },
            ReferrerPolicy: { ReferrerPolicy: 'same-origin', Override: true },
            ContentSecurityPolicy: { ContentSecurityPolicy: Match.anyValue(), Override: true },
          },
        }),
      });
    });

    it('allow scripts and API calls from the console’s own origin, inline styles, and tokens from the managed login only', () => {
      const [[, policy] = ['', undefined]] = resourcesOfType(
        template,
        'AWS::CloudFront::ResponseHeadersPolicy',
      );
      const csp = JSON.stringify(policy?.Properties);
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "connect-src 'self' https://rapport-",
      ])
        expect(csp).toContain(directive);
      expect(csp).toContain('.amazoncognito.com');
      // Inline styles only, for the template preview's email; never an inline or evaluated script.
      expect(csp).toContain("style-src 'self' 'unsafe-inline'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).not.toContain('unsafe-eval');
    });

    it('route console paths without an extension to the console’s index.html, on the default behavior', () => {
      template.hasResourceProperties('AWS::CloudFront::Function', {
        FunctionCode: spaRoutingCode(),
        FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      });
      const code = spaRoutingCode();
      expect(servedUri(code, '/console/journeys/welcome')).toBe('/console/index.html');
      expect(servedUri(code, '/console/')).toBe('/console/index.html');
      expect(servedUri(code, '/console/assets/index-3f2a.js')).toBe('/console/assets/index-3f2a.js');
      expect(servedUri(code, '/console/config.json')).toBe('/console/config.json');
      // Outside the console nothing is rewritten: a missing file stays missing.
      expect(servedUri(code, '/robots.txt')).toBe('/robots.txt');
      expect(servedUri(code, '/elsewhere')).toBe('/elsewhere');
      expect(routeRequest(code, '/')).toEqual({
        statusCode: 302,
        statusDescription: 'Found',
        headers: { location: { value: '/console/' } },
      });
      expect(routeRequest(code, '/console')).toMatchObject({ statusCode: 302 });
      const defaultBehavior = JSON.stringify(distributionConfig().DefaultCacheBehavior);
      expect(defaultBehavior).toContain('viewer-request');
    });

    it('deploy config.json with this stack’s user pool, client and login beside the built files', () => {
      const deployments = resourcesOfType(template, 'Custom::CDKBucketDeployment').map(
        ([, resource]) => resource.Properties,
      );
      expect(deployments.map((props) => props.DestinationBucketKeyPrefix)).toEqual(['console/', 'console/']);
      const hashed = deployments.find((props) => JSON.stringify(props.Include) === '["assets/*"]');
      expect(hashed?.Prune).toBe(false);
      expect(hashed?.SystemMetadata).toEqual({ 'cache-control': 'public, max-age=31536000, immutable' });
      const entry = deployments.find((props) => JSON.stringify(props.Exclude) === '["assets/*"]');
      expect(entry?.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
      expect(entry?.DistributionPaths).toEqual(['/console/*']);
      const markers = referencedIds(entry?.SourceMarkers);
      const ids = (type: string) => resourcesOfType(template, type).map(([id]) => id);
      for (const type of [
        'AWS::Cognito::UserPool',
        'AWS::Cognito::UserPoolClient',
        'AWS::Cognito::UserPoolDomain',
        'AWS::CloudFront::Distribution',
      ])
        expect(
          ids(type).some((id) => markers.has(id)),
          type,
        ).toBe(true);
    });
  });

  describe('its API', () => {
    it('is the second origin under /api/*, uncached, every method, viewer headers but Host forwarded', () => {
      const behaviors = distributionConfig().CacheBehaviors;
      expect(behaviors).toEqual([
        expect.objectContaining({
          PathPattern: '/api/*',
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          CachePolicyId: cachingDisabled,
          OriginRequestPolicyId: allViewerExceptHostHeader,
        }),
      ]);
      expect(JSON.stringify(behaviors)).not.toContain('FunctionAssociations');
      const [consoleApiId] = resourcesOfType(template, 'AWS::ApiGateway::RestApi').map(([id]) => id);
      const apiOrigin = JSON.stringify(distributionConfig().Origins);
      expect(apiOrigin).toContain(`{"Ref":"${consoleApiId}"},".execute-api."`);
      // The path goes on unchanged: /api is the console API's stage.
      expect(apiOrigin).not.toContain('OriginPath');
      template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'api', TracingEnabled: true });
    });

    it('serves every admin route of the topology, and only those, behind the Cognito authorizer, on the same function', () => {
      const parent = resourcesOf(synthesized.template);
      const nestedStack = Object.values(parent).find(
        (resource) => resource.Type === 'AWS::CloudFormation::Stack',
      );
      const parameterTargets = new Map(
        Object.entries(nestedStack?.Properties.Parameters ?? {}).map(([name, value]) => [
          name,
          [...referencedIds(value)][0],
        ]),
      );
      const [[authorizerId, authorizer] = ['', undefined]] = resourcesOfType(
        template,
        'AWS::ApiGateway::Authorizer',
      );
      expect(authorizer?.Properties).toMatchObject({
        Type: 'COGNITO_USER_POOLS',
        IdentitySource: 'method.request.header.Authorization',
      });
      const parts = new Map(
        resourcesOfType(template, 'AWS::ApiGateway::Resource').map(([id, resource]) => [
          id,
          resource.Properties,
        ]),
      );
      const pathOf = (ref: unknown): string => {
        const [id] = referencedIds(ref);
        const part = id === undefined ? undefined : parts.get(id);
        return part === undefined ? '' : `${pathOf(part.ParentId)}/${String(part.PathPart)}`;
      };
      const served = resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, method]) => {
        const { HttpMethod, AuthorizationType, AuthorizerId, ResourceId, Integration } = method.Properties;
        const [parameter] = [...referencedIds(Integration)].filter((id) => parameterTargets.has(id));
        expect(AuthorizationType).toBe('COGNITO_USER_POOLS');
        expect(referencedIds(AuthorizerId)).toEqual(new Set([authorizerId]));
        return {
          key: `${String(HttpMethod)} ${pathOf(ResourceId)}`,
          target: parameterTargets.get(parameter ?? ''),
        };
      });
      const functionIds = functionsByEntry(synthesized.template);
      const expected = topology.flatMap((spec) =>
        spec.trigger.kind === 'http'
          ? spec.trigger.routes
              .filter((route) => route.auth === 'admin')
              .flatMap((route) =>
                methodsFor(route).map((method) => ({
                  key: `${method} ${route.path}`,
                  target: functionIds.get(spec.name),
                })),
              )
          : [],
      );
      expect(expected.length).toBeGreaterThan(0);
      const byKey = (a: { key: string }, b: { key: string }) => a.key.localeCompare(b.key);
      expect(served.sort(byKey)).toEqual(expected.sort(byKey));
    });

    it('keeps IAM on the admin routes of the public API, for the CLI', () => {
      const methods = resourcesOfType(synthesized.template, 'AWS::ApiGateway::Method').map(
        ([, method]) => method.Properties.AuthorizationType,
      );
      expect(methods).toContain('AWS_IAM');
      expect(methods).not.toContain('COGNITO_USER_POOLS');
    });

    it('logs once the account’s API Gateway logging role is set', () => {
      const [accountId] = resourcesOfType(synthesized.template, 'AWS::ApiGateway::Account').map(([id]) => id);
      const nestedStack = Object.values(resourcesOf(synthesized.template)).find(
        (resource) => resource.Type === 'AWS::CloudFormation::Stack',
      );
      expect([nestedStack?.DependsOn ?? []].flat()).toContain(accountId);
    });
  });

  describe('its users', () => {
    it('are in a user pool nobody signs up to, signing in by email with MFA and a strong password', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        UsernameAttributes: ['email'],
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
      template.resourceCountIs('AWS::Cognito::ManagedLoginBranding', 1);
    });

    it('sign in through a public client: authorization code with PKCE, no secret, back to the console', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        SupportedIdentityProviders: ['COGNITO'],
        PreventUserExistenceErrors: 'ENABLED',
        CallbackURLs: [
          {
            'Fn::Join': [
              '',
              ['https://', { 'Fn::GetAtt': [Match.anyValue(), 'DomainName'] }, '/console/auth/callback'],
            ],
          },
        ],
        LogoutURLs: [{ 'Fn::Join': ['', ['https://', Match.anyValue(), '/console/']] }],
      });
    });

    it('have the roles viewer, marketer and admin as groups', () => {
      const groups = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map(
        ([, group]) => group.Properties.GroupName,
      );
      expect(groups.sort()).toEqual(['admin', 'marketer', 'viewer']);
    });

    it('include each address of rapport:adminEmails once, invited by email and put in the admin group', () => {
      const users = resourcesOfType(template, 'AWS::Cognito::UserPoolUser');
      expect(users.map(([, user]) => user.Properties.Username).sort()).toEqual([
        'ann@example.com',
        'bob@example.com',
      ]);
      for (const [userId, user] of users) {
        expect(user.Properties.DesiredDeliveryMediums).toEqual(['EMAIL']);
        const membership = resourcesOfType(template, 'AWS::Cognito::UserPoolUserToGroupAttachment').find(
          ([, attachment]) => attachment.Properties.Username === user.Properties.Username,
        );
        expect(membership?.[1].Properties.GroupName).toBe('admin');
        expect([membership?.[1].DependsOn ?? []].flat()).toContain(userId);
      }
    });

    it('are invited to the console’s address', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: Match.objectLike({
          InviteMessageTemplate: Match.objectLike({
            EmailMessage: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
          }),
        }),
      });
    });

    it('are none without rapport:adminEmails', () => {
      const plain = consoleTemplate(synthRapport());
      plain.resourceCountIs('AWS::Cognito::UserPoolUser', 0);
      plain.resourceCountIs('AWS::Cognito::UserPoolGroup', 3);
    });
  });

  it('gives the console URL, user pool, client and managed login as stack outputs', () => {
    const outputs = Object.keys(synthesized.template.toJSON().Outputs ?? {});
    expect(outputs).toEqual(
      expect.arrayContaining(['ConsoleUrl', 'ConsoleUserPoolId', 'ConsoleClientId', 'ConsoleLoginDomain']),
    );
  });

  describe('on a domain of its own', () => {
    const certificateArn =
      'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

    it('serves rapport:consoleDomain with its certificate and TLS 1.2, and signs in back to it', () => {
      const custom = consoleTemplate(
        synthRapport({
          context: {
            'rapport:consoleDomain': 'console.example.com',
            'rapport:consoleCertificateArn': certificateArn,
          },
        }),
      );
      custom.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          Aliases: ['console.example.com'],
          ViewerCertificate: {
            AcmCertificateArn: certificateArn,
            MinimumProtocolVersion: 'TLSv1.2_2021',
            SslSupportMethod: 'sni-only',
          },
        }),
      });
      custom.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: ['https://console.example.com/console/auth/callback'],
        LogoutURLs: ['https://console.example.com/console/'],
      });
    });

    it('refuses a domain without a certificate, or a certificate outside us-east-1, naming the key', () => {
      const synth = (context: Record<string, string>) => () => synthRapport({ context });
      expect(synth({ 'rapport:consoleDomain': 'console.example.com' })).toThrow(InvalidStackConfigError);
      expect(synth({ 'rapport:consoleDomain': 'console.example.com' })).toThrow(
        /rapport:consoleCertificateArn/,
      );
      expect(
        synth({
          'rapport:consoleDomain': 'console.example.com',
          'rapport:consoleCertificateArn': certificateArn.replace('us-east-1', 'eu-west-1'),
        }),
      ).toThrow(/rapport:consoleCertificateArn: .*us-east-1/);
    });

    it('refuses an admin address that is not one, naming it', () => {
      expect(() => synthRapport({ context: { 'rapport:adminEmails': 'ann@example.com, bob' } })).toThrow(
        /rapport:adminEmails: "bob" is not an email address/,
      );
    });
  });
});

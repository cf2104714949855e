import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeOnResource } from './acknowledge.js';
import { consoleSettings } from './console-settings.js';
import { spaRoutingCode } from './spa-routing.js';

export interface ConsoleDomain {
  /** console.example.com */
  name: string;
  /** An ACM certificate in us-east-1 that covers `name`. */
  certificateArn: string;
}

export interface ConsoleHostingProps {
  /** The managed login's host, which the console calls for tokens (CSP connect-src). */
  loginHost: string;
  /** Unset, the console is served on the distribution's own cloudfront.net name. */
  domain?: ConsoleDomain;
}

/**
 * The console's files in a private bucket behind CloudFront (origin access
 * control), HTTPS only, with security headers and single-page-app routing; the
 * console API joins as the second origin under `/api` (`routeApi`), so the console
 * calls its API on its own origin and needs no CORS.
 */
export class ConsoleHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<host>`, no trailing slash. */
  readonly url: string;
  private readonly securityHeaders: cloudfront.ResponseHeadersPolicy;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL grant, which needs ACLs enabled.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: consoleSettings.accessLogRetention }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Kept with the stack's deletion, as CloudFormation cannot delete a bucket with files in it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.securityHeaders = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Rapport console: HSTS, CSP for a same-origin single-page app, no framing or sniffing.',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(props.loginHost),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: consoleSettings.hstsMaxAge,
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.SAME_ORIGIN, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
          {
            header: 'Permissions-Policy',
            value: 'camera=(), microphone=(), geolocation=(), payment=()',
            override: true,
          },
        ],
      },
    });

    const spaRouting = new cloudfront.Function(this, 'SpaRouting', {
      comment: 'Serves the console index.html for its routes (paths without a file extension).',
      code: cloudfront.FunctionCode.fromInline(spaRoutingCode()),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${Stack.of(this).stackName} marketer console`,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      ...(props.domain === undefined
        ? {}
        : {
            domainNames: [props.domain.name],
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
            certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
          }),
      enableLogging: true,
      logBucket: accessLogs,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders,
        compress: true,
        functionAssociations: [
          { function: spaRouting, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
    });
    this.url = `https://${props.domain?.name ?? this.distribution.distributionDomainName}`;
    this.acknowledgeNagFindings(accessLogs, props.domain);
  }

  /**
   * Sends `/api/*` to the console API, path unchanged: `/api/admin/journeys` reaches
   * its stage `api` as `/admin/journeys`. Nothing is cached and every method passes;
   * the viewer's headers go on (the `Authorization` token with them) except `Host`,
   * which API Gateway needs to be its own.
   */
  routeApi(api: apigateway.IRestApi): void {
    const origin = new origins.HttpOrigin(`${api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
    });
    this.distribution.addBehavior(`${consoleSettings.apiPath}/*`, origin, {
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: this.securityHeaders,
    });
  }

  private acknowledgeNagFindings(accessLogs: s3.Bucket, domain: ConsoleDomain | undefined): void {
    acknowledgeOnResource(accessLogs, {
      id: 'AwsSolutions-S1',
      reason:
        'This bucket holds the console distribution’s access logs; logging it again would log the logs.',
    });
    acknowledgeOnResource(this.bucket, {
      id: 'AwsSolutions-S1',
      reason:
        'Only CloudFront reads the console files (origin access control) and its access logs record every request; only deployments write.',
    });
    acknowledgeOnResource(
      this.distribution,
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Marketers sign in from wherever they work; the console is behind Cognito sign-in with MFA.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'A WAF web ACL is account-specific (managed rule costs, allow lists); operators attach one to the distribution.',
      },
      ...(domain === undefined
        ? [
            {
              id: 'AwsSolutions-CFR4',
              reason:
                'Without rapport:consoleDomain the console uses the cloudfront.net certificate, whose TLS policy CloudFront fixes.',
            },
          ]
        : []),
    );
  }
}

/**
 * For a Vite React build: its scripts and styles are files on this origin (no inline
 * script), the API is same-origin, and the only other host called is the managed
 * login's token endpoint (authorization code exchange with PKCE).
 */
const contentSecurityPolicy = (loginHost: string): string =>
  [
    "default-src 'self'",
    "script-src 'self'",
    // The template editor's preview is a sandboxed srcdoc frame, which inherits this
    // policy, and an email's styles are all inline; scripts stay 'self' only, and
    // the frame's empty sandbox runs none (as infra/local/console-files.ts says too).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' https://${loginHost}`,
    `form-action 'self' https://${loginHost}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
    'upgrade-insecure-requests',
  ].join('; ');

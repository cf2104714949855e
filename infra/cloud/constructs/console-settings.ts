import { Aws, Duration, Fn } from 'aws-cdk-lib';
import { RapportApi } from './rapport-api.js';

/**
 * The marketer console's settings in one place: its roles, paths, token lifetimes
 * and caching. The console reads what it needs of them from `config.json`.
 */
export const consoleSettings = {
  /** Cognito groups, most privileged first (Cognito's precedence: lower wins). */
  groups: ['admin', 'marketer', 'viewer'] as const,
  /** The group the `rapport:adminEmails` users are invited into. */
  adminGroup: 'admin',
  /** The API behind the console's own origin: CloudFront forwards `/api/*` unchanged to the console API's stage of that name. */
  apiPath: `/${RapportApi.stageName}`,
  /** Where the console's pages and files are, in the bucket and on the distribution (Vite's `base`). */
  basePath: '/console',
  /** Where managed login sends the authorization code back to. */
  callbackPath: '/console/auth/callback',
  /** Where the console lands after signing out. */
  signedOutPath: '/console/',
  /** Written beside index.html at deploy, so one build serves every stack. */
  configFile: 'config.json',
  tokens: {
    idAndAccess: Duration.hours(1),
    refresh: Duration.days(1),
  },
  password: { minLength: 12, temporaryValidity: Duration.days(7) },
  cacheControl: {
    /** Vite names these by content hash, so a new build never reuses a name. */
    hashedAssets: 'public, max-age=31536000, immutable',
    /** index.html, config.json and unhashed files: revalidated on every load, so a deploy shows at once. */
    entryPoints: 'no-cache',
  },
  /** Vite's folder of content-hashed files. */
  hashedAssetsFolder: 'assets',
  hstsMaxAge: Duration.days(730),
  /** Access logs of the distribution; a month more than the functions' logs, for audits. */
  accessLogRetention: Duration.days(90),
} as const;

export type ConsoleGroup = (typeof consoleSettings.groups)[number];

/**
 * The managed login's domain prefix: `rapport-` and the first block of the stack's
 * UUID. Prefixes are global per region, so a fixed name would collide between
 * stacks; built from the stack id rather than from the domain resource, so the
 * distribution's CSP can name it without depending on the user pool.
 */
export const managedLoginPrefix = (): string =>
  `rapport-${Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Aws.STACK_ID))))}`;

/** The managed login's host (`<prefix>.auth.<region>.amazoncognito.com`). */
export const managedLoginHost = (): string => `${managedLoginPrefix()}.auth.${Aws.REGION}.amazoncognito.com`;

import { describe, expect, it } from 'vitest';
import {
  BundleOptionError,
  bundleEnvironment,
  checkBundleOptions,
  type EnvironmentParts,
} from '../../../infra/local/bundled-functions.js';
import { SystemClock } from '../../../lib/adapters/system/system-clock.js';

const parts: EnvironmentParts = {
  declared: {
    TABLE_NAME: 'rapport-local',
    PUBLIC_BASE_URL: 'https://abc123.execute-api.us-east-1.amazonaws.com/api',
    ALLOWED_ORIGINS: 'https://www.example.com',
    POWERTOOLS_SERVICE_NAME: 'deliver',
    NODE_OPTIONS: '--enable-source-maps',
  },
  gateway: { url: 'http://127.0.0.1:3000', origins: 'http://127.0.0.1:3000,http://localhost:3000' },
  settings: {},
  lambda: { AWS_REGION: 'us-east-1', AWS_LAMBDA_FUNCTION_NAME: 'deliver' },
  endpoints: {
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
    SES_ENDPOINT: 'http://127.0.0.1:8005',
    SNS_ENDPOINT: 'http://127.0.0.1:8006',
    EVENTBRIDGE_ENDPOINT: 'http://127.0.0.1:8007',
    SECRETS_ENDPOINT: 'http://127.0.0.1:41234',
    AWS_ENDPOINT_URL: 'http://127.0.0.1:41235',
  },
  observability: { POWERTOOLS_SERVICE_NAME: 'rapport', POWERTOOLS_DEV: 'true' },
};

describe("a bundled function's environment", () => {
  it("is the template's variables, Lambda's own and the stand-ins' endpoints, and nothing else", () => {
    expect(bundleEnvironment(parts)).toEqual({
      TABLE_NAME: 'rapport-local',
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
      ALLOWED_ORIGINS: 'http://127.0.0.1:3000,http://localhost:3000,https://www.example.com',
      POWERTOOLS_SERVICE_NAME: 'deliver',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_DEV: 'true',
      AWS_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'deliver',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      SES_ENDPOINT: 'http://127.0.0.1:8005',
      SNS_ENDPOINT: 'http://127.0.0.1:8006',
      EVENTBRIDGE_ENDPOINT: 'http://127.0.0.1:8007',
      SECRETS_ENDPOINT: 'http://127.0.0.1:41234',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:41235',
    });
  });

  it('points at the gateway only the variables the template declares', () => {
    const { PUBLIC_BASE_URL: _url, ALLOWED_ORIGINS: _origins, ...declared } = parts.declared;

    const environment = bundleEnvironment({ ...parts, declared });

    expect(environment.PUBLIC_BASE_URL).toBeUndefined();
    expect(environment.ALLOWED_ORIGINS).toBeUndefined();
  });

  it("takes the run's deployment settings over the template's", () => {
    const environment = bundleEnvironment({
      ...parts,
      settings: { SIGNUP_LIMIT_PER_IP: '1000000/PT1M', ALLOWED_ORIGINS: 'https://shop.example.com' },
    });

    expect(environment.SIGNUP_LIMIT_PER_IP).toBe('1000000/PT1M');
    expect(environment.ALLOWED_ORIGINS).toBe('https://shop.example.com');
  });
});

describe('what a run from the bundles takes', () => {
  it('takes the settings a deployment gives every function and the runtime its own', () => {
    expect(() =>
      checkBundleOptions({
        env: {
          SIGNUP_LIMIT_PER_IP: '1000000/PT1M',
          TOPICS: 'news=News',
          RAPPORT_ALLOWED_ORIGINS: 'https://x.example',
        },
      }),
    ).not.toThrow();
  });

  it('refuses a variable no deployment declares, naming it', () => {
    const run = () => checkBundleOptions({ env: { TIMER_SHARDS: '1', SES_MAX_SEND_RATE: '10000' } });

    expect(run).toThrow(BundleOptionError);
    expect(run).toThrow(/^env: TIMER_SHARDS cannot be set on the bundles: no deployment declares it/);
  });

  it('refuses a clock: the bundles read the system clock', () => {
    expect(() => checkBundleOptions({ clock: new SystemClock() })).toThrow(/^clock: /);
  });
});

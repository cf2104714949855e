import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../../infra/cloud/stack-config.js';
import { parseRuntimeEnv } from '../../../lib/config/runtime-env.js';

const required = {
  TABLE_NAME: 'rapport',
  AWS_REGION: 'us-east-1',
  PUBLIC_BASE_URL: 'https://example.com',
  SENDER_EMAIL: 'hello@example.com',
  POSTAL_ADDRESS: '1 Main St',
  ALLOWED_ORIGINS: 'https://shop.example.com',
};

const context: Record<string, unknown> = {
  'rapport:senderEmail': 'Rapport <hello@example.com>',
  'rapport:allowedOrigins': 'https://shop.example.com',
  'rapport:postalAddress': '1 Example Street, Springfield',
};
const stackConfigWith = (extra: Record<string, unknown>) =>
  readStackConfig((key) => ({ ...context, ...extra })[key]);

describe('the sunset, as the functions read it', () => {
  it('is a year unless the environment says otherwise', () => {
    expect(parseRuntimeEnv(required).SUNSET_AFTER).toBe('P365D');
    expect(parseRuntimeEnv({ ...required, SUNSET_AFTER: 'P18M' }).SUNSET_AFTER).toBe('P18M');
    expect(parseRuntimeEnv({ ...required, SUNSET_AFTER: 'OFF' }).SUNSET_AFTER).toBe('off');
  });

  it('stops the function at start on a value it cannot read, naming the variable', () => {
    expect(() => parseRuntimeEnv({ ...required, SUNSET_AFTER: '365 days' })).toThrow(
      'SUNSET_AFTER: "365 days" must be an ISO 8601 duration of at least P30D (such as P365D or P18M), or "off"',
    );
    expect(() => parseRuntimeEnv({ ...required, SUNSET_AFTER: 'P0D' })).toThrow(
      /SUNSET_AFTER: "P0D" must be/,
    );
  });
});

describe('whether opens count, as the functions read it', () => {
  it('counts them unless the environment says false', () => {
    expect(parseRuntimeEnv(required).ENGAGEMENT_COUNTS_OPENS).toBe(true);
    expect(parseRuntimeEnv({ ...required, ENGAGEMENT_COUNTS_OPENS: 'false' }).ENGAGEMENT_COUNTS_OPENS).toBe(
      false,
    );
  });

  it('stops the function at start on anything but true or false', () => {
    expect(() => parseRuntimeEnv({ ...required, ENGAGEMENT_COUNTS_OPENS: 'sometimes' })).toThrow(
      'ENGAGEMENT_COUNTS_OPENS: "sometimes" must be true or false',
    );
  });
});

describe('the engagement settings in the CDK context', () => {
  it('leave the functions their defaults when unset or empty', () => {
    const config = stackConfigWith({ 'rapport:sunsetAfter': '', 'rapport:engagementCountsOpens': '' });
    expect(config.sunsetAfter).toBeUndefined();
    expect(config.engagementCountsOpens).toBeUndefined();
  });

  it('pass on a sunset and whether opens count, as written in cdk.json or with -c', () => {
    const config = stackConfigWith({
      'rapport:sunsetAfter': 'P2Y',
      'rapport:engagementCountsOpens': false,
    });
    expect(config.sunsetAfter).toBe('P2Y');
    expect(config.engagementCountsOpens).toBe(false);
    expect(stackConfigWith({ 'rapport:engagementCountsOpens': 'true' }).engagementCountsOpens).toBe(true);
  });

  it('stop synth on a value the functions would refuse, naming the context key', () => {
    expect(() => stackConfigWith({ 'rapport:sunsetAfter': 'P1D' })).toThrow(
      'rapport:sunsetAfter: "P1D" must be an ISO 8601 duration of at least P30D (such as P365D or P18M), or "off"',
    );
    expect(() => stackConfigWith({ 'rapport:engagementCountsOpens': 'yes' })).toThrow(
      'rapport:engagementCountsOpens: "yes" must be true or false',
    );
  });
});

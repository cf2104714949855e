import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../../infra/cloud/stack-config.js';
import { disposableEmailDomains } from '../../../lib/config/disposable-email-domains.js';
import {
  DisposableEmailDomainsSetting,
  RefuseDisposableEmailSetting,
} from '../../../lib/config/disposable-email-setting.js';
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

describe('the refusal of disposable mail, as the functions read it', () => {
  it('is off unless the environment says true', () => {
    expect(parseRuntimeEnv(required).REFUSE_DISPOSABLE_EMAIL).toBe(false);
    expect(parseRuntimeEnv({ ...required, REFUSE_DISPOSABLE_EMAIL: 'false' }).REFUSE_DISPOSABLE_EMAIL).toBe(
      false,
    );
    expect(parseRuntimeEnv({ ...required, REFUSE_DISPOSABLE_EMAIL: ' TRUE ' }).REFUSE_DISPOSABLE_EMAIL).toBe(
      true,
    );
  });

  it('stops the function at start on anything but true or false, naming the variable', () => {
    expect(() => parseRuntimeEnv({ ...required, REFUSE_DISPOSABLE_EMAIL: 'yes' })).toThrow(
      /REFUSE_DISPOSABLE_EMAIL: must be true or false/,
    );
  });

  it('reads the deployment’s own domains, lower-cased, and none by default', () => {
    expect(parseRuntimeEnv(required).DISPOSABLE_EMAIL_DOMAINS).toEqual([]);
    expect(
      parseRuntimeEnv({ ...required, DISPOSABLE_EMAIL_DOMAINS: ' Throwaway.example, ,temp.example ' })
        .DISPOSABLE_EMAIL_DOMAINS,
    ).toEqual(['throwaway.example', 'temp.example']);
  });

  it.each(['not a domain', 'localhost', 'a@b.example'])(
    'names a domain list entry that is none: %s',
    (entry) => {
      const result = DisposableEmailDomainsSetting.safeParse(`ok.example,${entry}`);

      expect(result.error?.issues.map((issue) => issue.message)).toEqual([
        `"${entry}" is not a domain such as throwaway.example`,
      ]);
    },
  );

  it('takes a JSON-style boolean as well as text', () => {
    expect(RefuseDisposableEmailSetting.parse(true)).toBe(true);
    expect(RefuseDisposableEmailSetting.parse('')).toBe(false);
  });
});

describe('the domains refused', () => {
  const refused = disposableEmailDomains(['Throwaway.example']);

  it('hold the shipped list of well-known throwaway services', () => {
    for (const domain of ['mailinator.com', 'guerrillamail.com', '10minutemail.com', 'yopmail.com'])
      expect(refused.has(domain), domain).toBe(true);
  });

  it('hold none of the big mailbox providers', () => {
    for (const domain of ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'gmx.de'])
      expect(refused.has(domain), domain).toBe(false);
  });

  it('add the deployment’s own, lower-cased', () => {
    expect(refused.has('throwaway.example')).toBe(true);
    expect(disposableEmailDomains([]).has('throwaway.example')).toBe(false);
  });
});

describe('the stack’s context for disposable mail', () => {
  it('leaves the refusal off and adds no domain unless asked', () => {
    expect(stackConfigWith({})).toMatchObject({
      refuseDisposableEmail: false,
      disposableEmailDomains: undefined,
    });
    expect(stackConfigWith({ 'rapport:refuseDisposableEmail': '' })).toMatchObject({
      refuseDisposableEmail: false,
    });
  });

  it('takes true as text or as a cdk.json boolean, and the extra domains as written', () => {
    expect(
      stackConfigWith({
        'rapport:refuseDisposableEmail': true,
        'rapport:disposableEmailDomains': 'throwaway.example,temp.example',
      }),
    ).toMatchObject({
      refuseDisposableEmail: true,
      disposableEmailDomains: 'throwaway.example,temp.example',
    });
    expect(stackConfigWith({ 'rapport:refuseDisposableEmail': 'true' })).toMatchObject({
      refuseDisposableEmail: true,
    });
  });

  it('stops synth on a bad value, naming the context key', () => {
    expect(() => stackConfigWith({ 'rapport:refuseDisposableEmail': 'sometimes' })).toThrow(
      'rapport:refuseDisposableEmail: must be true or false',
    );
    expect(() => stackConfigWith({ 'rapport:disposableEmailDomains': 'ok.example,not a domain' })).toThrow(
      'rapport:disposableEmailDomains: "not a domain" is not a domain such as throwaway.example',
    );
  });
});

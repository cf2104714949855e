import { describe, expect, it } from 'vitest';
import { InvalidStackConfigError, readStackConfig } from '../../infra/cloud/stack-config.js';
import { defaultReputationThresholds } from '../../lib/domain/reputation.js';
import { baseContext } from './synth-rapport.js';

const read = (context: Record<string, unknown>) => () => {
  const merged: Record<string, unknown> = { ...baseContext, ...context };
  return readStackConfig((key) => merged[key]);
};

describe('the deliverability context keys, left unset', () => {
  it('default to the bounce MAIL FROM subdomain, DMARC p=none and the reputation defaults', () => {
    const config = read({})();

    expect(config).toMatchObject({
      mailFromSubdomain: 'bounce',
      dmarcPolicy: 'none',
      dmarcReportEmail: undefined,
      hostedZoneId: undefined,
      reputation: defaultReputationThresholds,
    });
  });

  it('take cdk.json’s numbers as well as -c text', () => {
    const config = read({ 'rapport:bounceRateCritical': 0.06, 'rapport:complaintRateCritical': '0.002' })();

    expect(config.reputation.bounceRate.critical).toBe(0.06);
    expect(config.reputation.complaintRate.critical).toBe(0.002);
  });
});

describe('when a deliverability context key is wrong, synth stops naming it', () => {
  it.each([
    [{ 'rapport:mailFromSubdomain': 'mail.bounce' }, /rapport:mailFromSubdomain: must be one DNS label/],
    [{ 'rapport:dmarcPolicy': 'strict' }, /rapport:dmarcPolicy: "strict" must be none, quarantine or reject/],
    [{ 'rapport:dmarcReportEmail': 'reports' }, /rapport:dmarcReportEmail: must be an email address/],
    [{ 'rapport:hostedZoneId': 'zone-1' }, /rapport:hostedZoneId: must be a Route 53 hosted zone id/],
    [{ 'rapport:bounceRateWarning': '2' }, /rapport:bounceRateWarning: must be a fraction of at most 1/],
    [{ 'rapport:bounceRateCritical': '0' }, /rapport:bounceRateCritical: must be above 0/],
    [
      { 'rapport:complaintRateCritical': 'lots' },
      /rapport:complaintRateCritical: "lots" must be a fraction such as 0.02 for 2 %/,
    ],
    [{ 'rapport:reputationMinSends': '10.5' }, /rapport:reputationMinSends: must be a whole number of sends/],
    [{ 'rapport:reputationWindowDays': '31' }, /rapport:reputationWindowDays: must be from 1 to 30 days/],
  ])('%o', (context, message) => {
    expect(read(context)).toThrow(InvalidStackConfigError);
    expect(read(context)).toThrow(message);
  });

  it('refuses a warning rate above its critical rate, naming both keys', () => {
    expect(
      read({ 'rapport:complaintRateWarning': '0.002', 'rapport:complaintRateCritical': '0.001' }),
    ).toThrow(
      'rapport:complaintRateWarning: 0.002 is above rapport:complaintRateCritical (0.001): the warning must come first',
    );
  });

  it('refuses a hosted zone without a domain identity for its records', () => {
    expect(
      read({ 'rapport:hostedZoneId': 'Z0123456789ABC', 'rapport:sesIdentity': 'hello@example.com' }),
    ).toThrow(/rapport:hostedZoneId: needs rapport:sesIdentity to be a domain/);
    expect(read({ 'rapport:hostedZoneId': 'Z0123456789ABC', 'rapport:sesIdentity': '' })).toThrow(
      /rapport:hostedZoneId: needs rapport:sesIdentity/,
    );
  });

  it('refuses a zone that does not hold the domain', () => {
    expect(
      read({ 'rapport:hostedZoneId': 'Z0123456789ABC', 'rapport:hostedZoneName': 'example.org' }),
    ).toThrow(
      'rapport:hostedZoneName: the zone "example.org" does not hold the domain "example.com" (rapport:sesIdentity)',
    );
  });

  it('refuses a zone name without its id', () => {
    expect(read({ 'rapport:hostedZoneName': 'example.com' })).toThrow(
      /rapport:hostedZoneName: names a zone without rapport:hostedZoneId/,
    );
  });

  it('takes a zone holding the domain as a subdomain', () => {
    const config = read({
      'rapport:senderEmail': 'news@mail.example.com',
      'rapport:sesIdentity': 'mail.example.com',
      'rapport:hostedZoneId': 'Z0123456789ABC',
      'rapport:hostedZoneName': 'Example.com.',
    })();

    expect(config).toMatchObject({ hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'example.com' });
  });
});

import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../infra/cloud/stack-config.js';
import { baseContext, resourcesOfType, synthRapport } from './synth-rapport.js';

describe('the signup form’s limits in the cloud', () => {
  it('leave WAF out unless asked for, since a web ACL costs $5 a month', () => {
    const { template } = synthRapport();

    expect(resourcesOfType(template, 'AWS::WAFv2::WebACL')).toEqual([]);
  });

  it('with rapport:waf, attach a web ACL to the API stage that blocks a flood of signups from one IP', () => {
    const synthesized = synthRapport({ context: { 'rapport:waf': 'true' }, nag: true });
    const [acl] = resourcesOfType(synthesized.template, 'AWS::WAFv2::WebACL');
    const [association] = resourcesOfType(synthesized.template, 'AWS::WAFv2::WebACLAssociation');

    expect(acl?.[1].Properties).toMatchObject({
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        {
          Statement: {
            ManagedRuleGroupStatement: {
              Name: 'AWSManagedRulesCommonRuleSet',
              RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
            },
          },
        },
        {
          Action: { Block: {} },
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: 100,
              ScopeDownStatement: {
                ByteMatchStatement: { SearchString: '/v1/signup', PositionalConstraint: 'ENDS_WITH' },
              },
            },
          },
        },
      ],
    });
    expect(JSON.stringify(association?.[1].Properties.ResourceArn)).toContain('/stages/');
    const report = new AwsSolutionsChecks().validateScope(synthesized.app);
    expect(report.violations.filter((violation) => violation.ruleName === 'AwsSolutions-APIG3')).toEqual([]);
  });

  it('pass rapport:signupLimitPerIp to the signup function, and refuse a bad one at synth', () => {
    const { template } = synthRapport({ context: { 'rapport:signupLimitPerIp': '20/PT1H' } });

    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'rapport:function', Value: 'signup' }]),
      Environment: { Variables: Match.objectLike({ SIGNUP_LIMIT_PER_IP: '20/PT1H' }) },
    });
    const context: Record<string, string> = {
      ...baseContext,
      'rapport:signupLimitPerIp': 'lots',
    };
    expect(() => readStackConfig((key) => context[key])).toThrow(
      'rapport:signupLimitPerIp: "lots" must be a count and an ISO 8601 window',
    );
  });
});

import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidStackConfigError } from '../../infra/cloud/stack-config.js';
import { topology } from '../../infra/topology.js';
import {
  functionsByEntry,
  referencedIds,
  resourcesOf,
  resourcesOfType,
  synthRapport,
} from './synth-rapport.js';

const smsActions = [
  'sns:Publish',
  'sns:CheckIfPhoneNumberIsOptedOut',
  // The monthly spend limit, and what the month has cost so far.
  'sns:GetSMSAttributes',
  'cloudwatch:GetMetricStatistics',
];

describe('SMS in the Rapport stack', () => {
  let template: Template;
  let functionIds: Map<string, string>;

  beforeAll(() => {
    template = synthRapport({
      context: { 'rapport:smsSenderId': 'Bookshop', 'rapport:smsOriginationNumber': '+12065550100' },
    }).template;
    functionIds = functionsByEntry(template);
  });

  const functionId = (name: string): string => {
    const id = functionIds.get(name);
    if (id === undefined) throw new Error(`no function tagged ${name}`);
    return id;
  };

  /** The policy documents attached to the function's role, as JSON text. */
  const policiesOf = (name: string): string => {
    const roleIds = referencedIds(resourcesOf(template)[functionId(name)]?.Properties.Role);
    return JSON.stringify(
      resourcesOfType(template, 'AWS::IAM::Policy')
        .filter(([, policy]) => [...referencedIds(policy.Properties.Roles)].some((id) => roleIds.has(id)))
        .map(([, policy]) => policy.Properties.PolicyDocument),
    );
  };

  it('lets the deliver function publish SMS and check the opted-out list, and no other function', () => {
    for (const spec of topology) {
      const document = policiesOf(spec.name);
      for (const action of smsActions) {
        if (spec.access.sendSms === true) expect(document, spec.name).toContain(`"${action}"`);
        else expect(document, spec.name).not.toContain(`"${action}"`);
      }
    }
    expect(topology.find((spec) => spec.name === 'deliver')?.access.sendSms).toBe(true);
  });

  it('hands the sender ID and origination number from context to the deliver function only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'rapport:function', Value: 'deliver' }]),
      Environment: {
        Variables: Match.objectLike({ SMS_SENDER_ID: 'Bookshop', SMS_ORIGINATION_NUMBER: '+12065550100' }),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'rapport:function', Value: 'signup' }]),
      Environment: { Variables: Match.objectLike({ SMS_SENDER_ID: Match.absent() }) },
    });
  });

  it('has an encrypted, TLS-only inbound SMS topic', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Rapport inbound SMS',
      KmsMasterKeyId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^InboundSmsTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets AWS End User Messaging publish replies from this account and use the topic key', () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^InboundSmsTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'sms-voice.amazonaws.com' },
            Action: Match.arrayWith(['kms:Decrypt']),
          }),
        ]),
      },
    });
  });

  it('subscribes the inbound-sms function with its own dead-letter queue, which alarms', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [functionId('inbound-sms'), 'Arn'] },
      TopicArn: { Ref: Match.stringLikeRegexp('^InboundSmsTopic') },
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InboundSmsDeadLetterQueue'), 'Arn'] },
      },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InboundSmsDeadLetterQueue'), 'QueueName'] },
        },
      ],
    });
  });

  it('outputs the topic ARN to point a number’s two-way SMS at', () => {
    template.hasOutput('InboundSmsTopicArn', { Value: { Ref: Match.stringLikeRegexp('^InboundSmsTopic') } });
  });
});

describe('when the SMS context is invalid', () => {
  it('fails synth naming rapport:smsSenderId for a sender ID SNS would refuse', () => {
    expect(() => synthRapport({ context: { 'rapport:smsSenderId': 'Way-Too-Long-Sender' } })).toThrow(
      InvalidStackConfigError,
    );
    expect(() => synthRapport({ context: { 'rapport:smsSenderId': 'Way-Too-Long-Sender' } })).toThrow(
      /rapport:smsSenderId/,
    );
  });

  it('fails synth naming rapport:smsOriginationNumber for a number that is not E.164', () => {
    expect(() => synthRapport({ context: { 'rapport:smsOriginationNumber': '206-555-0100' } })).toThrow(
      /rapport:smsOriginationNumber/,
    );
  });
});

describe('when the account’s monthly SMS spend limit is reached', () => {
  it('has an alarm on deliver’s SmsSpendLimitReached count, and deliver is told the number’s rate', () => {
    // Deliver and one admin route (the console API needs one): the alarm and the environment are deliver's.
    const { template } = synthRapport({
      context: { 'rapport:alarmEmail': 'ops@example.com', 'rapport:smsMaxSendRate': '3' },
      topology: topology.filter((spec) => ['deliver', 'admin-templates'].includes(spec.name)),
    });
    const held = resourcesOfType(template, 'AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties.MetricName === 'SmsSpendLimitReached',
    );

    expect(held).toHaveLength(1);
    expect(held[0]?.[1].Properties).toMatchObject({
      Namespace: 'Rapport',
      Dimensions: [{ Name: 'service', Value: 'deliver' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'rapport:function', Value: 'deliver' }]),
      Environment: { Variables: Match.objectLike({ SMS_MAX_SEND_RATE: '3' }) },
    });
  });

  it('refuses a rate that is not a positive number at synth', () => {
    expect(() => synthRapport({ context: { 'rapport:smsMaxSendRate': 'fast' } })).toThrow(
      InvalidStackConfigError,
    );
  });
});

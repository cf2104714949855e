import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventPatternOf, InvalidEventPatternError } from '../../infra/cloud/constructs/bus-rules.js';
import { busRuleFunctions } from '../../infra/topology.js';
import { functionsByEntry, referencedIds, resourcesOfType, synthRapport } from './synth-rapport.js';

describe('the rule that hands purchase events on the bus to ingest-bus', () => {
  let template: Template;
  let functionId: string;
  let busId: string;
  let ruleId: string;
  let queueId: string;

  beforeAll(() => {
    template = synthRapport().template;
    functionId = functionsByEntry(template).get('ingest-bus') ?? '';
    busId = resourcesOfType(template, 'AWS::Events::EventBus')[0]?.[0] ?? '';
    const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) =>
      referencedIds(rule.Properties.Targets).has(functionId),
    );
    expect(rules).toHaveLength(1);
    ruleId = rules[0]?.[0] ?? '';
    queueId = [...referencedIds(rules[0]?.[1].Properties.Targets)].find((id) => id !== functionId) ?? '';
  });

  it('is on the stack’s own bus, with the topology’s pattern: ingested detail-types from any source but Rapport’s journeys', () => {
    const [ingestBus] = busRuleFunctions();
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: busId },
      EventPattern: ingestBus?.trigger.pattern,
    });
    expect(ingestBus?.trigger.pattern).toEqual({
      source: [{ 'anything-but': ['rapport.journeys'] }],
      'detail-type': ['Order Completed', 'Order Refunded', 'Product Viewed', 'Identify'],
    });
  });

  it('targets ingest-bus, retrying for a day, with a dead-letter queue for what EventBridge cannot hand over', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        {
          Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
          Id: Match.anyValue(),
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        },
      ],
    });
    expect(resourcesOfType(template, 'AWS::SQS::Queue').map(([id]) => id)).toContain(queueId);
  });

  it('turns Lambda’s retries off, so a rejected event is dead-lettered once; the chain retries faults itself', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      MaximumRetryAttempts: 0,
    });
  });

  it('lets only this rule invoke the function and send to the queue', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sqs:SendMessage',
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
          }),
        ]),
      },
    });
  });

  it('sends an event the function still fails on after Lambda’s retries to the same queue, with the error', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'rapport:function', Value: 'ingest-bus' }]),
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
    });
  });

  it('alarms when anything reaches the queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('lets the function read and write the table but put nothing on the bus', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'rapport:function', Value: 'ingest-bus' }]),
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: Match.absent() }) },
    });
  });
});

describe('turning a topology pattern into the rule’s pattern', () => {
  const rendered = (pattern: Record<string, unknown>) => {
    const stack = new Stack();
    new events.Rule(stack, 'Rule', { eventPattern: eventPatternOf(pattern) });
    return resourcesOfType(Template.fromStack(stack), 'AWS::Events::Rule')[0]?.[1].Properties.EventPattern;
  };

  it('keeps every field as written, matchers and nested detail included', () => {
    const pattern = {
      source: [{ prefix: 'com.example.' }],
      'detail-type': ['Order Completed'],
      account: ['123456789012'],
      detail: { properties: { total: [{ numeric: ['>', 0] }] } },
    };

    expect(rendered(pattern)).toEqual(pattern);
  });

  it.each([
    [{ 'detail-typo': ['Order Completed'] }, /not a field of an EventBridge event/],
    [{ source: 'com.example.orders' }, /must hold a list of values/],
    [{ detail: ['x'] }, /must hold a nested pattern/],
  ])('refuses %j, naming the field', (pattern, message) => {
    expect(() => eventPatternOf(pattern)).toThrow(InvalidEventPatternError);
    expect(() => eventPatternOf(pattern)).toThrow(message);
  });
});

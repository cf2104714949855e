import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidStackConfigError } from '../../infra/cloud/stack-config.js';
import { topology } from '../../infra/topology.js';
import { keys } from '../../lib/adapters/dynamodb/keys.js';
import {
  functionsByEntry,
  referencedIds,
  resourcesOf,
  resourcesOfType,
  synthRapport,
} from './synth-rapport.js';

describe('the outbound event bus in the Rapport stack', () => {
  let template: Template;
  let functionIds: Map<string, string>;
  let busId: string;

  beforeAll(() => {
    template = synthRapport().template;
    functionIds = functionsByEntry(template);
    const buses = resourcesOfType(template, 'AWS::Events::EventBus');
    expect(buses).toHaveLength(1);
    busId = buses[0]?.[0] ?? '';
  });

  const functionId = (name: string): string => {
    const id = functionIds.get(name);
    if (id === undefined) throw new Error(`no function tagged ${name}`);
    return id;
  };

  /** The statements of the policies attached to the function's role. */
  const statementsOf = (name: string): unknown[] => {
    const roleIds = referencedIds(resourcesOf(template)[functionId(name)]?.Properties.Role);
    return resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, policy]) => [...referencedIds(policy.Properties.Roles)].some((id) => roleIds.has(id)))
      .flatMap(([, policy]) => {
        const document = policy.Properties.PolicyDocument;
        return typeof document === 'object' && document !== null && 'Statement' in document
          ? [document.Statement].flat()
          : [];
      });
  };

  const putsEvents = (statement: unknown): boolean =>
    JSON.stringify(statement).includes('"events:PutEvents"');

  it('is a custom bus named rapport when the context names none', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'rapport' });
  });

  it('lets exactly the functions whose access says putEvents put events, on this bus only', () => {
    const granted = topology.filter((spec) => statementsOf(spec.name).some(putsEvents)).map((s) => s.name);
    expect(granted).toEqual(topology.filter((spec) => spec.access.putEvents === true).map((s) => s.name));
    expect(granted).toEqual(['publish-events']);

    const statements = statementsOf('publish-events').filter(putsEvents);
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'events:PutEvents',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [busId, 'Arn'] },
      }),
    ]);
  });

  it('tells publish-events which bus to use, and no other function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Tags: Match.arrayWith([{ Key: 'rapport:function', Value: 'publish-events' }]),
      Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: { Ref: busId } }) },
    });
    for (const spec of topology.filter((entry) => entry.access.putEvents !== true)) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Tags: Match.arrayWith([{ Key: 'rapport:function', Value: spec.name }]),
        Environment: { Variables: Match.objectLike({ EVENT_BUS_NAME: Match.absent() }) },
      });
    }
  });

  it('feeds publish-events only the INSERTs of outbound event items from the table stream', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('publish-events') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'StreamArn'] },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { SK: { S: [{ prefix: keys.outboundEventPrefix }] } } },
            }),
          },
        ],
      },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamsDeadLetterQueue'), 'Arn'] },
        },
      },
    });
  });

  it('outputs the bus ARN for consumers to attach rules to', () => {
    template.hasOutput('EventBusArn', { Value: { 'Fn::GetAtt': [busId, 'Arn'] } });
  });
});

describe('when the context names the bus', () => {
  it('creates the bus under that name', () => {
    const { template } = synthRapport({ context: { 'rapport:eventBusName': 'shop-marketing' } });

    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'shop-marketing' });
  });

  it.each([
    ['default', /rapport:eventBusName: names the account’s default bus/],
    ['has spaces', /rapport:eventBusName: must be 1-256 letters/],
    ['partner/bus', /rapport:eventBusName: must be 1-256 letters/],
  ])('fails synth for "%s", naming the context key', (name, message) => {
    const synth = () => synthRapport({ context: { 'rapport:eventBusName': name } });

    expect(synth).toThrow(InvalidStackConfigError);
    expect(synth).toThrow(message);
  });
});

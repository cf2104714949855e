import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { topology } from '../../infra/topology.js';
import {
  type CfnResource,
  functionsByEntry,
  referencedIds,
  resourcesOf,
  resourcesOfType,
  type Synthesized,
  synthRapport,
} from './synth-rapport.js';

/**
 * The cloud's side of the dead letters: the admin function may invoke every
 * function whose failures become dead letters, and knows their deployed names;
 * the intake may empty every SQS dead-letter queue that holds them and read the
 * table's stream; and an alarm watches what each one dead-letters.
 */

const redrivable = topology
  .filter((spec) => ['table-stream', 'topic', 'bus-rule'].includes(spec.trigger.kind))
  .map((spec) => spec.name)
  .sort();

const Statement = z.object({
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.union([z.unknown(), z.array(z.unknown())]),
});
const PolicyDocument = z.object({ Statement: z.array(Statement) });
const actionsOf = (statement: z.infer<typeof Statement>): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const resourcesIn = (statement: z.infer<typeof Statement>): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** The statements of the policies attached to a function's role. */
const statementsOf = (template: Synthesized['template'], functionId: string) => {
  const resources = resourcesOf(template);
  const roleIds = referencedIds(resources[functionId]?.Properties.Role);
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => [...referencedIds(policy.Properties.Roles)].some((id) => roleIds.has(id)))
    .flatMap(([, policy]) => PolicyDocument.parse(policy.Properties.PolicyDocument).Statement);
};

/** What an action is allowed on: the logical ids its resources name. */
const grantedOn = (statements: ReturnType<typeof statementsOf>, action: string): Set<string> =>
  new Set(
    statements
      .filter((statement) => actionsOf(statement).includes(action))
      .flatMap((statement) => resourcesIn(statement).flatMap((resource) => [...referencedIds(resource)])),
  );

const environmentOf = (resource: CfnResource | undefined): Record<string, unknown> => {
  const environment = resource?.Properties.Environment;
  return z
    .object({ Variables: z.record(z.string(), z.unknown()) })
    .catch({ Variables: {} })
    .parse(environment).Variables;
};

describe('the dead letters in the cloud', () => {
  let synthesized: Synthesized;
  let functionIds: Map<string, string>;

  beforeAll(() => {
    synthesized = synthRapport();
    functionIds = functionsByEntry(synthesized.template);
  });

  const idOf = (name: string): string => functionIds.get(name) ?? `(no function ${name})`;

  describe('the admin function', () => {
    it('names every function a redrive may hand a record back to, by its deployed name', () => {
      const names = environmentOf(
        resourcesOf(synthesized.template)[idOf('admin-dead-letters')],
      ).FUNCTION_NAMES;

      expect(names).toBeDefined();
      const referenced = referencedIds(names);
      expect([...referenced].sort()).toEqual(redrivable.map(idOf).sort());
    });

    it('may invoke each of them, and nothing else', () => {
      const invokable = grantedOn(
        statementsOf(synthesized.template, idOf('admin-dead-letters')),
        'lambda:InvokeFunction',
      );

      expect([...invokable].sort()).toEqual(redrivable.map(idOf).sort());
    });
  });

  describe('the intake', () => {
    const queueIds = () =>
      resourcesOfType(synthesized.template, 'AWS::SQS::Queue')
        .map(([id]) => id)
        .filter((id) => /^(Streams|SesFeedback|InboundSms|Reputation|BusRules)DeadLetterQueue/.test(id))
        .sort();

    it('empties each dead-letter queue that holds a function’s failures, and no other', () => {
      const statements = statementsOf(synthesized.template, idOf('dead-letter-intake'));

      expect(queueIds()).toHaveLength(5);
      expect([...grantedOn(statements, 'sqs:ReceiveMessage')].sort()).toEqual(queueIds());
      expect([...grantedOn(statements, 'sqs:DeleteMessage')].sort()).toEqual(queueIds());
    });

    it('is told each queue, and the function whose events an asynchronous function’s queue holds', () => {
      const queues = environmentOf(
        resourcesOf(synthesized.template)[idOf('dead-letter-intake')],
      ).DEAD_LETTER_QUEUES;
      const rendered = JSON.stringify(queues);

      expect([...referencedIds(queues)].sort()).toEqual(queueIds());
      for (const functionName of ['ses-feedback', 'inbound-sms', 'reputation-alarm', 'ingest-bus'])
        expect(rendered).toContain(`\\"functionName\\":\\"${functionName}\\"`);
    });

    it('reads the table’s stream, for a failed batch’s records', () => {
      const statements = statementsOf(synthesized.template, idOf('dead-letter-intake'));
      const tableId = resourcesOfType(synthesized.template, 'AWS::DynamoDB::Table')[0]?.[0] ?? '';

      expect(grantedOn(statements, 'dynamodb:GetRecords')).toEqual(new Set([tableId]));
      expect(grantedOn(statements, 'dynamodb:GetShardIterator')).toEqual(new Set([tableId]));
    });
  });

  it('alarms on what each stream function and the intake dead-letter', () => {
    const alarmed = resourcesOfType(synthesized.template, 'AWS::CloudWatch::Alarm')
      .filter(([, alarm]) => alarm.Properties.MetricName === 'DeadLettered')
      .map(
        ([, alarm]) =>
          z
            .array(z.object({ Name: z.string(), Value: z.string() }))
            .parse(alarm.Properties.Dimensions)
            .find((dimension) => dimension.Name === 'service')?.Value,
      )
      .sort();

    expect(alarmed).toEqual(
      [
        ...topology.filter((spec) => spec.trigger.kind === 'table-stream').map((spec) => spec.name),
        'dead-letter-intake',
      ].sort(),
    );
  });
});

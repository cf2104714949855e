import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contentSeedResourceType } from '../../infra/cloud/constructs/content-seed.js';
import { type LocalWiringKind, planLocalWiring } from '../../infra/local/wiring-plan.js';
import { type Trigger, topology } from '../../infra/topology.js';
import {
  apiRoutes,
  functionsByEntry,
  referencedIds,
  resourcesOfType,
  synthRapport,
} from './synth-rapport.js';

/** How the local runtime names each trigger kind; a new kind on either side fails to compile here. */
const localKindFor: Record<Trigger['kind'], LocalWiringKind> = {
  http: 'http-routes',
  'table-stream': 'stream-poller',
  topic: 'topic-subscription',
  deployment: 'run-at-start',
  schedule: 'scheduler',
  'bus-rule': 'bus-rule',
};

const RuleTargets = z
  .array(
    z.object({
      Arn: z.unknown(),
      RetryPolicy: z.object({ MaximumEventAgeInSeconds: z.number().optional() }).optional(),
    }),
  )
  .default([]);

/** API Gateway answers HEAD only through a HEAD method, so each GET route has one beside it. */
const servedMethods = (method: string): string[] => (method === 'GET' ? ['GET', 'HEAD'] : [method]);

/** The expression EventBridge reads for a rate of whole minutes. */
const plural = (count: number, unit: string): string => `rate(${count} ${count === 1 ? unit : `${unit}s`})`;

/** EventBridge's rate expression as CDK writes it: in the largest whole unit (1440 minutes is a day). */
const rateExpression = (minutes: number): string =>
  minutes % 1_440 === 0
    ? plural(minutes / 1_440, 'day')
    : minutes % 60 === 0
      ? plural(minutes / 60, 'hour')
      : plural(minutes, 'minute');

describe('every topology entry is wired in both runtimes', () => {
  let template: Template;
  let functionIds: Map<string, string>;

  beforeAll(() => {
    template = synthRapport().template;
    functionIds = functionsByEntry(template);
  });

  describe('in the cloud', () => {
    it('has exactly one Lambda function per entry', () => {
      expect([...functionIds.keys()].sort()).toEqual(topology.map((spec) => spec.name).sort());
    });

    it.each(topology)('wires $name to its $trigger.kind trigger', (spec) => {
      const fnId = functionIds.get(spec.name);
      expect(fnId).toBeDefined();
      const trigger = spec.trigger;
      switch (trigger.kind) {
        case 'http': {
          const routes = apiRoutes(template);
          for (const route of trigger.routes) {
            for (const httpMethod of servedMethods(route.method)) {
              const method = routes.find((entry) => entry.method === httpMethod && entry.path === route.path);
              expect(method, `${httpMethod} ${route.path}`).toBeDefined();
              expect(method?.targets).toEqual(new Set([fnId]));
              expect(method?.authorizationType).toBe(route.auth === 'admin' ? 'AWS_IAM' : 'NONE');
            }
          }
          break;
        }
        case 'table-stream': {
          const mappings = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').filter(
            ([, mapping]) => referencedIds(mapping.Properties.FunctionName).has(fnId ?? ''),
          );
          expect(mappings).toHaveLength(1);
          break;
        }
        case 'topic': {
          const subscriptions = resourcesOfType(template, 'AWS::SNS::Subscription').filter(
            ([, subscription]) =>
              subscription.Properties.Protocol === 'lambda' &&
              referencedIds(subscription.Properties.Endpoint).has(fnId ?? ''),
          );
          expect(subscriptions).toHaveLength(1);
          break;
        }
        case 'deployment': {
          const seeds = resourcesOfType(template, contentSeedResourceType).filter(
            ([, resource]) => resource.Properties.Function === spec.name,
          );
          expect(seeds).toHaveLength(1);
          break;
        }
        case 'schedule': {
          const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) =>
            RuleTargets.parse(rule.Properties.Targets).some((target) =>
              referencedIds(target.Arn).has(fnId ?? ''),
            ),
          );
          expect(rules).toHaveLength(1);
          expect(rules[0]?.[1].Properties.ScheduleExpression).toBe(rateExpression(trigger.everyMinutes));
          // EventBridge refuses a rule whose target keeps an event longer than a day.
          for (const target of RuleTargets.parse(rules[0]?.[1].Properties.Targets))
            expect(target.RetryPolicy?.MaximumEventAgeInSeconds ?? 0).toBeLessThanOrEqual(86_400);
          break;
        }
        case 'bus-rule': {
          const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) =>
            RuleTargets.parse(rule.Properties.Targets).some((target) =>
              referencedIds(target.Arn).has(fnId ?? ''),
            ),
          );
          expect(rules).toHaveLength(1);
          expect(rules[0]?.[1].Properties.EventPattern).toEqual(trigger.pattern);
          break;
        }
      }
    });

    it('serves no route the topology does not declare (HEAD beside each GET)', () => {
      const declared = topology.flatMap((spec) =>
        spec.trigger.kind === 'http'
          ? spec.trigger.routes.flatMap((route) =>
              servedMethods(route.method).map((method) => `${method} ${route.path}`),
            )
          : [],
      );
      const served = apiRoutes(template).map((route) => `${route.method} ${route.path}`);
      expect(served.sort()).toEqual(declared.sort());
    });
  });

  describe('locally', () => {
    const plan = planLocalWiring(topology);

    it('plans exactly one wiring per entry', () => {
      expect(plan.map((wiring) => wiring.functionName).sort()).toEqual(
        topology.map((spec) => spec.name).sort(),
      );
    });

    it.each(topology)('wires $name as its $trigger.kind trigger', (spec) => {
      const wiring = plan.find((entry) => entry.functionName === spec.name);
      expect(wiring?.kind).toBe(localKindFor[spec.trigger.kind]);
      expect(wiring?.entry).toBe(spec.entry);
      if (spec.trigger.kind === 'http' && wiring?.kind === 'http-routes') {
        expect(wiring.routes).toEqual(spec.trigger.routes);
      }
      if (spec.trigger.kind === 'schedule' && wiring?.kind === 'scheduler') {
        expect(wiring.schedule.localEverySeconds).toBe(spec.trigger.localEverySeconds);
      }
      if (spec.trigger.kind === 'bus-rule' && wiring?.kind === 'bus-rule') {
        expect(wiring.rule.pattern).toEqual(spec.trigger.pattern);
      }
    });
  });
});

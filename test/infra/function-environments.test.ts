import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repoRoot } from '../../infra/cloud/constructs/repo-root.js';
import {
  type TemplateFunction,
  type TemplateFunctions,
  templateFunctions,
} from '../../infra/local/cloud-assembly.js';
import {
  lambdaRuntimeVariables,
  type ResourceValues,
  resolveTemplateVariables,
} from '../../infra/local/template-environment.js';
import { topology } from '../../infra/topology.js';
import { RuntimeEnv } from '../../lib/config/runtime-env.js';
import { synthRapport } from './synth-rapport.js';

/**
 * Every handler checks its environment against RuntimeEnv when its module loads
 * (functions/dependencies.ts): a variable missing there stops the function at its
 * cold start, in AWS, where no other test runs it. So each function's environment,
 * as the template declares it, plus what Lambda itself sets, is put through that
 * same check here.
 */

/** The context a deployment with the repository's cdk.json synthesizes with. */
const CdkJson = z.object({ context: z.record(z.string(), z.unknown()) });
const cdkJsonContext = CdkJson.parse(JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8'))).context;

/** What the template's references resolve to once deployed, shaped as AWS names them. */
const deployed: ResourceValues = {
  region: 'eu-west-1',
  accountId: '123456789012',
  tableName: 'Rapport-DataTableFDBAD0F2-1Q2W3E4R5T6Y',
  eventBusName: 'rapport',
};

/** The cold start's complaints about one function's deployed environment, each naming the function and the variable. */
const coldStartProblems = (fn: TemplateFunction, resources: TemplateFunctions['resources']): string[] => {
  const environment = {
    ...resolveTemplateVariables(fn.name, fn.variables, resources, deployed),
    ...lambdaRuntimeVariables({
      functionName: `Rapport-${fn.logicalId}-AbCdEf123456`,
      memoryMb: fn.memoryMb,
      handler: fn.handler,
      runtime: fn.runtime,
      region: deployed.region,
      credentials: {
        accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
        secretAccessKey: 'example/secret/access/key/from/the/role0',
        sessionToken: 'example-session-token',
      },
    }),
  };
  const checked = RuntimeEnv.safeParse(environment);
  return checked.success
    ? []
    : checked.error.issues.map(
        (issue) =>
          `function "${fn.name}" (${fn.logicalId}): ${issue.path.join('.') || '(env)'}: ${issue.message}`,
      );
};

let synthesized: TemplateFunctions;
beforeAll(() => {
  synthesized = templateFunctions(synthRapport({ context: cdkJsonContext }).template.toJSON());
});

const deployedFunction = (name: string): TemplateFunction => {
  const fn = synthesized.functions.find((candidate) => candidate.name === name);
  if (fn === undefined) throw new Error(`the template has no function tagged "${name}"`);
  return fn;
};

describe('the environment each function is deployed with', () => {
  it('is found for every function of the topology, by its tag', () => {
    expect(synthesized.functions.map((fn) => fn.name).sort()).toEqual(
      topology.map((spec) => spec.name).sort(),
    );
  });

  it.each(topology.map((spec) => spec.name))('passes the cold-start check of %s', (name) => {
    expect(coldStartProblems(deployedFunction(name), synthesized.resources)).toEqual([]);
  });
});

describe('when the template leaves out a variable the cold start requires', () => {
  it('names the function and the variable', () => {
    const deliver = deployedFunction('deliver');
    const { POSTAL_ADDRESS: _left, ...variables } = deliver.variables;

    const problems = coldStartProblems({ ...deliver, variables }, synthesized.resources);

    expect(problems).toEqual([expect.stringMatching(/^function "deliver" \(\w+\): POSTAL_ADDRESS: /)]);
  });
});

import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assemblyState, synthesisInputs, templateFunctions } from '../../../infra/local/cloud-assembly.js';

let root: string;
const assembly = () => join(root, 'cdk.out');
const template = () => join(assembly(), 'Rapport.template.json');

/** Sets a file's or folder's time to `minutes` after an arbitrary fixed moment. */
const touch = (path: string, minutes: number) => {
  const at = new Date(Date.UTC(2026, 0, 1, 12, minutes));
  return utimes(path, at, at);
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rapport-assembly-'));
  await mkdir(join(root, 'lib', 'domain'), { recursive: true });
  await writeFile(join(root, 'lib', 'domain', 'contact.ts'), 'export {};\n');
  await writeFile(join(root, 'cdk.json'), '{}\n');
  await mkdir(assembly());
  await writeFile(
    join(assembly(), 'manifest.json'),
    JSON.stringify({
      artifacts: {
        Rapport: { type: 'aws:cloudformation:stack', properties: { templateFile: 'Rapport.template.json' } },
      },
    }),
  );
  await writeFile(template(), '{"Resources":{}}');
  for (const path of [
    join(root, 'lib', 'domain', 'contact.ts'),
    join(root, 'lib', 'domain'),
    join(root, 'lib'),
  ])
    await touch(path, 0);
  await touch(join(root, 'cdk.json'), 0);
  await touch(template(), 10);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('whether cdk.out can be run as it is', () => {
  it('is current when its template was written after every source changed', async () => {
    expect(await assemblyState(root, assembly())).toEqual({ current: true });
  });

  it('is stale when a source changed after the template, naming the source', async () => {
    await touch(join(root, 'lib', 'domain', 'contact.ts'), 20);

    expect(await assemblyState(root, assembly())).toEqual({
      current: false,
      reason: `${join(root, 'lib', 'domain', 'contact.ts')} changed after ${template()} was written`,
    });
  });

  it('is stale when a source was deleted since, which moves its folder', async () => {
    await rm(join(root, 'lib', 'domain', 'contact.ts'));
    await touch(join(root, 'lib', 'domain'), 20);

    expect(await assemblyState(root, assembly())).toMatchObject({ current: false });
  });

  it('is stale when there is no synthesized stack', async () => {
    await rm(join(assembly(), 'manifest.json'));

    expect(await assemblyState(root, assembly())).toEqual({
      current: false,
      reason: `${assembly()} holds no synthesized Rapport stack`,
    });
  });

  it('watches what the functions are built from, and not the local runtime', () => {
    expect(synthesisInputs).toEqual(expect.arrayContaining(['functions', 'lib', 'infra/cloud', 'journeys']));
    expect(synthesisInputs).not.toContain('infra/local');
  });
});

describe("the functions of a stack's template", () => {
  it('are the Lambda functions with a topology tag, with their bundle, handler and declared variables', () => {
    const found = templateFunctions({
      Resources: {
        DeliverFunction: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Handler: 'index.handler',
            Runtime: 'nodejs22.x',
            MemorySize: 1024,
            Timeout: 450,
            Environment: { Variables: { TABLE_NAME: { Ref: 'DataTable' } } },
            Tags: [{ Key: 'rapport:function', Value: 'deliver' }],
          },
          Metadata: { 'aws:asset:path': 'asset.0123abcd' },
        },
        ProviderOnEvent: {
          Type: 'AWS::Lambda::Function',
          Properties: { Handler: 'framework.onEvent', Runtime: 'nodejs24.x' },
        },
        DataTable: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      },
    });

    expect(found.functions).toEqual([
      {
        name: 'deliver',
        logicalId: 'DeliverFunction',
        handler: 'index.handler',
        runtime: 'nodejs22.x',
        memoryMb: 1024,
        timeoutSeconds: 450,
        assetPath: 'asset.0123abcd',
        variables: { TABLE_NAME: { Ref: 'DataTable' } },
      },
    ]);
    expect(Object.keys(found.resources)).toEqual(['DeliverFunction', 'ProviderOnEvent', 'DataTable']);
  });
});

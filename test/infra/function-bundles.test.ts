import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleFileName, esbuildOptionsFor } from '../../infra/cloud/constructs/function-bundling.js';
import { repoRoot } from '../../infra/cloud/constructs/repo-root.js';
import { type FunctionSpec, topology } from '../../infra/topology.js';
import {
  functionsByEntry,
  resourcesOf,
  resourcesOfType,
  type Synthesized,
  synthRapport,
} from './synth-rapport.js';

const specNamed = (name: string): FunctionSpec => {
  const spec = topology.find((entry) => entry.name === name);
  if (spec === undefined) throw new Error(`no function "${name}" in the topology`);
  return spec;
};

/** The packages a function's bundle holds, from esbuild's metafile with the settings the CDK bundles with. */
const packagesIn = async (name: string): Promise<Set<string>> => {
  const outdir = await mkdtemp(join(tmpdir(), 'rapport-bundle-'));
  const { metafile } = await build({
    ...esbuildOptionsFor(join(repoRoot, specNamed(name).entry), join(outdir, bundleFileName)),
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  return new Set(
    Object.keys(metafile.inputs).flatMap((input) => {
      const found = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
      return found === undefined ? [] : [found];
    }),
  );
};

describe('what the functions are bundled with', () => {
  it('leaves MJML out of deliver, which renders the HTML templates were compiled to with Liquid alone', async () => {
    const packages = await packagesIn('deliver');

    expect(packages.has('liquidjs')).toBe(true);
    expect([...packages].filter((name) => name.startsWith('mjml'))).toEqual([]);
  });

  it('bundles MJML with the functions that compile templates: the admin API and the content seed', async () => {
    for (const name of ['admin-templates', 'seed-content']) {
      expect((await packagesIn(name)).has('mjml-core')).toBe(true);
    }
  });
});

describe('the content seed and deliver in the stack', () => {
  const names = ['deliver', 'seed-content', 'admin-templates'];
  let synthesized: Synthesized;
  let assembly: CloudAssembly;

  beforeAll(() => {
    synthesized = synthRapport({
      bundle: true,
      topology: topology.filter((spec) => names.includes(spec.name)),
    });
    assembly = synthesized.app.synth();
  });

  const functionId = (name: string): string => {
    const id = functionsByEntry(synthesized.template).get(name);
    if (id === undefined) throw new Error(`${name} was not synthesized`);
    return id;
  };
  const codeKeyOf = (name: string): string => {
    const code = resourcesOf(synthesized.template)[functionId(name)]?.Properties.Code;
    const key = typeof code === 'object' && code !== null && 'S3Key' in code ? code.S3Key : undefined;
    if (typeof key !== 'string') throw new Error(`${name} has no code asset`);
    return key;
  };
  const seed = () => {
    const [entry, ...others] = resourcesOfType(synthesized.template, 'Custom::RapportContentSeed');
    if (entry === undefined || others.length > 0) throw new Error('expected one content seed');
    return { id: entry[0], resource: entry[1] };
  };
  const dependsOn = (logicalId: string): string[] => {
    const dependencies = resourcesOf(synthesized.template)[logicalId]?.DependsOn ?? [];
    return typeof dependencies === 'string' ? [dependencies] : dependencies;
  };

  it('bundles deliver exactly as esbuild does with the settings in function-bundling.ts', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'rapport-bundle-'));
    const outfile = join(outdir, bundleFileName);
    await build({
      ...esbuildOptionsFor(join(repoRoot, specNamed('deliver').entry), outfile),
      logLevel: 'silent',
    });
    const asset = join(
      assembly.directory,
      `asset.${codeKeyOf('deliver').replace(/\.zip$/, '')}`,
      bundleFileName,
    );

    expect(readFileSync(outfile).equals(readFileSync(asset))).toBe(true);
  });

  it('runs the seed again whenever its code changes, since it compiles every stored template with it', () => {
    expect(seed().resource.Properties.HandlerCode).toBe(codeKeyOf('seed-content'));
  });

  it('runs the seed after the admin API has its new code, and gives deliver its new code after the seed', () => {
    expect(dependsOn(seed().id)).toContain(functionId('admin-templates'));
    expect(dependsOn(functionId('deliver'))).toContain(seed().id);
  });
});

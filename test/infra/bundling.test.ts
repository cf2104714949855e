import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology.js';
import { functionsByEntry, resourcesOf, type Synthesized, synthRapport } from './synth-rapport.js';

describe('bundling every function with esbuild', () => {
  let synthesized: Synthesized;
  let assembly: CloudAssembly;

  beforeAll(() => {
    synthesized = synthRapport({ bundle: true });
    assembly = synthesized.app.synth();
  });

  const bundleDirOf = (name: string): string => {
    const resources = resourcesOf(synthesized.template);
    const logicalId = functionsByEntry(synthesized.template).get(name) ?? '';
    const code = resources[logicalId]?.Properties.Code;
    const key = typeof code === 'object' && code !== null && 'S3Key' in code ? code.S3Key : undefined;
    const hash = typeof key === 'string' ? /^([0-9a-f]{64})\.zip$/.exec(key)?.[1] : undefined;
    if (hash === undefined) throw new Error(`${name} has no bundled asset`);
    // The staged asset directory is named after the same hash as the uploaded zip.
    return join(assembly.directory, `asset.${hash}`);
  };

  it.each(topology)('produces an ES module for $name ($entry) that exports handler', (spec) => {
    const bundle = join(bundleDirOf(spec.name), 'index.mjs');
    expect(existsSync(bundle)).toBe(true);
    const code = readFileSync(bundle, 'utf8');
    // CommonJS dependencies call require(); the banner gives the ES module one.
    expect(code.startsWith("import { createRequire } from 'module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b[^}]*\}/);
    expect(existsSync(`${bundle}.map`)).toBe(true);
  });

  it('ships journeys/, templates/ and segments/ beside the seed handler', () => {
    for (const spec of topology.filter((entry) => entry.trigger.kind === 'deployment')) {
      expect(existsSync(join(bundleDirOf(spec.name), 'journeys'))).toBe(true);
      expect(existsSync(join(bundleDirOf(spec.name), 'templates'))).toBe(true);
      expect(existsSync(join(bundleDirOf(spec.name), 'segments'))).toBe(true);
    }
  });

  it('builds the console into the asset its deployments copy, index.html and hashed assets', () => {
    const built = readdirSync(assembly.directory).filter((entry) =>
      existsSync(join(assembly.directory, entry, 'index.html')),
    );
    expect(built).toHaveLength(1);
    const folder = join(assembly.directory, built[0] ?? '');
    expect(readFileSync(join(folder, 'index.html'), 'utf8')).toContain('/console/assets/');
    expect(readdirSync(join(folder, 'assets')).length).toBeGreaterThan(0);
  });
});

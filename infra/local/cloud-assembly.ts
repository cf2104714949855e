import { spawn } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { functionTagKey } from '../topology.js';
import type { TemplateResource } from './template-environment.js';

/**
 * The cloud assembly `cdk synth` writes to cdk.out: the stack's template and the
 * esbuild bundle of every function, which is what a deployment uploads. The local
 * runtime runs those bundles under `npm start -- --bundles`.
 */

/** The stack the CDK app synthesizes (infra/cloud/rapport-app.ts names it). */
export const synthesizedStackName = 'Rapport';

/**
 * What the functions' bundles and the template are built from: the CDK app, the
 * handlers and everything they import, the content the seed ships, the context and
 * the locked dependencies. The local runtime and the console are not.
 */
export const synthesisInputs = [
  'functions',
  'lib',
  'infra/cloud',
  'infra/topology.ts',
  'journeys',
  'templates',
  'segments',
  'delivery-policy.yaml',
  'cdk.json',
  'package-lock.json',
] as const;

export class SynthesisFailedError extends Error {
  override readonly name = 'SynthesisFailedError';
}

export class AssemblyUnreadableError extends Error {
  override readonly name = 'AssemblyUnreadableError';
}

const isMissing = (error: unknown): boolean =>
  error instanceof Error && 'code' in error && error.code === 'ENOENT';

/**
 * The last change under a path, in ms: files and folders alike, since a folder's
 * time moves when a file in it is added, renamed or deleted.
 */
const lastChangeUnder = async (path: string): Promise<{ at: number; path: string }> => {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    if (isMissing(error)) return { at: 0, path };
    throw error;
  }
  let latest = { at: info.mtimeMs, path };
  if (!info.isDirectory()) return latest;
  for (const entry of await readdir(path)) {
    const inner = await lastChangeUnder(join(path, entry));
    if (inner.at > latest.at) latest = inner;
  }
  return latest;
};

const Manifest = z.object({
  artifacts: z.record(
    z.string(),
    z.object({
      type: z.string(),
      properties: z.object({ templateFile: z.string().optional() }).optional(),
    }),
  ),
});

/** The path of the stack's template in an assembly, from its manifest; undefined when there is none. */
const templatePathIn = async (assemblyDir: string): Promise<string | undefined> => {
  let text: string;
  try {
    text = await readFile(join(assemblyDir, 'manifest.json'), 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  const manifest = Manifest.safeParse(JSON.parse(text));
  const stack = manifest.success ? manifest.data.artifacts[synthesizedStackName] : undefined;
  const file = stack?.type === 'aws:cloudformation:stack' ? stack.properties?.templateFile : undefined;
  return file === undefined ? undefined : join(assemblyDir, file);
};

export type AssemblyState = { current: true } | { current: false; reason: string };

/**
 * Whether cdk.out can be run as it is: its template was written after the last
 * change to anything it is built from (`synthesisInputs`). Otherwise it is
 * synthesized again. A change that keeps a file's time (a copy with times kept) is
 * not seen; a checkout, an edit or a deletion is.
 */
export const assemblyState = async (root: string, assemblyDir: string): Promise<AssemblyState> => {
  const template = await templatePathIn(assemblyDir);
  const written = template === undefined ? undefined : await lastChangeUnder(template);
  if (template === undefined || written === undefined || written.at === 0)
    return { current: false, reason: `${assemblyDir} holds no synthesized ${synthesizedStackName} stack` };
  for (const input of synthesisInputs) {
    const changed = await lastChangeUnder(join(root, input));
    if (changed.at > written.at)
      return { current: false, reason: `${changed.path} changed after ${template} was written` };
  }
  return { current: true };
};

/** Runs `cdk synth` as CI does, into the repository's cdk.out. */
const synthesize = (root: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', 'synth', '--no-notices', '-q'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new SynthesisFailedError(
            `npx cdk synth --no-notices -q ended with ${signal ?? `exit code ${String(code)}`}; its output is above`,
          ),
        );
    });
  });

/** cdk.out, synthesized first when it is older than what it is built from. Resolves with its folder. */
export const synthesizeIfStale = async (root: string, log: (line: string) => void): Promise<string> => {
  const assemblyDir = join(root, 'cdk.out');
  const state = await assemblyState(root, assemblyDir);
  if (state.current) {
    log(`running the functions from ${assemblyDir}, which is newer than their sources`);
    return assemblyDir;
  }
  log(`synthesizing the stack (${state.reason})…`);
  await synthesize(root);
  return assemblyDir;
};

const Resource = z.object({
  Type: z.string(),
  Properties: z.record(z.string(), z.unknown()).default({}),
  Metadata: z.record(z.string(), z.unknown()).default({}),
});
const Template = z.object({ Resources: z.record(z.string(), Resource) });

const FunctionProperties = z.object({
  Handler: z.string(),
  Runtime: z.string(),
  MemorySize: z.number().int().default(128),
  Timeout: z.number().int().default(3),
  Environment: z.object({ Variables: z.record(z.string(), z.unknown()).default({}) }).optional(),
  Tags: z.array(z.object({ Key: z.string(), Value: z.unknown() })).default([]),
});

/** One of the stack's functions as the template deploys it. */
export interface TemplateFunction {
  /** Its topology entry's name, from the function's tag. */
  name: string;
  logicalId: string;
  /** Lambda's Handler setting: `<file>.<export>` in the bundle's folder. */
  handler: string;
  runtime: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** The bundle's folder in the assembly (`asset.<hash>`), from the asset metadata; undefined if unbundled. */
  assetPath: string | undefined;
  /** Environment.Variables as written: literals and intrinsic functions. */
  variables: Record<string, unknown>;
}

export interface TemplateFunctions {
  functions: TemplateFunction[];
  /** Every resource of the template, for resolving what the variables name. */
  resources: Record<string, TemplateResource>;
}

/** The functions of a stack's template (an object as `cdk synth` writes it), found by their topology tag. */
export const templateFunctions = (template: unknown): TemplateFunctions => {
  const parsed = Template.safeParse(template);
  if (!parsed.success)
    throw new AssemblyUnreadableError(`the template has no readable Resources: ${parsed.error.message}`);
  const functions: TemplateFunction[] = [];
  for (const [logicalId, resource] of Object.entries(parsed.data.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const properties = FunctionProperties.safeParse(resource.Properties);
    if (!properties.success) continue;
    const tag = properties.data.Tags.find((entry) => entry.Key === functionTagKey)?.Value;
    if (typeof tag !== 'string') continue;
    const assetPath = resource.Metadata['aws:asset:path'];
    functions.push({
      name: tag,
      logicalId,
      handler: properties.data.Handler,
      runtime: properties.data.Runtime,
      memoryMb: properties.data.MemorySize,
      timeoutSeconds: properties.data.Timeout,
      assetPath: typeof assetPath === 'string' ? assetPath : undefined,
      variables: properties.data.Environment?.Variables ?? {},
    });
  }
  return { functions, resources: parsed.data.Resources };
};

/** The stack's functions in a synthesized assembly. */
export const readAssemblyFunctions = async (assemblyDir: string): Promise<TemplateFunctions> => {
  const template = await templatePathIn(assemblyDir);
  if (template === undefined)
    throw new AssemblyUnreadableError(`${assemblyDir} holds no synthesized ${synthesizedStackName} stack`);
  return templateFunctions(JSON.parse(await readFile(template, 'utf8')));
};

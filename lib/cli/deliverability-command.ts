import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CheckDeliverabilityDeps, checkDeliverability } from '../app/check-deliverability.js';
import { deliverabilityFails, parseSenderDomain } from '../domain/deliverability-check.js';
import { isRecord } from '../domain/is-record.js';
import { deliverabilityText } from './deliverability-text.js';
import { type TerminalText, terminal, terminalJson } from './terminal-text.js';

/** What `rapport deliverability …` needs from the command line around it. */
export interface DeliverabilityContext {
  print: (text: TerminalText) => void;
  env: Record<string, string | undefined>;
  /** A usage mistake: the caller prints it with the usage text. */
  usage: (message: string) => Error;
  /** Where cdk.json is read from when no --domain is given; default the current directory. */
  cwd?: string;
  /** The SES reader and DNS resolver; default the real ones, from the operator's credentials. */
  dependencies?: () => Promise<CheckDeliverabilityDeps>;
}

const usageText = terminal`rapport deliverability check [--domain <domain>] [--json]

  Reads the SES account and the domain's identity, resolves its DKIM, MAIL FROM and
  DMARC records, and says line by line what is right and what to add. Exits 1 when
  anything required is missing or wrong.

  --domain <domain>  the From domain (default: rapport:sesIdentity, else the domain of
                     rapport:senderEmail, in ./cdk.json)
  --json             print the checks as JSON
  AWS credentials and AWS_REGION (the stack's region) as for the AWS CLI.`;

const contextKeys = { sesIdentity: 'rapport:sesIdentity', senderEmail: 'rapport:senderEmail' } as const;

type ConfiguredDomain = { domain: string; source: string } | { problem: string };

const domainOfAddress = (value: string): string | undefined => {
  const address = /<([^<>]+)>/.exec(value)?.[1] ?? value;
  const at = address.lastIndexOf('@');
  return at < 0 ? undefined : address.slice(at + 1).trim();
};

/** The From domain the stack is set up with: its SES identity, else its sender's domain. */
export const configuredDomain = (cdkJson: unknown): ConfiguredDomain => {
  const context = isRecord(cdkJson) && isRecord(cdkJson.context) ? cdkJson.context : {};
  const identity = context[contextKeys.sesIdentity];
  if (typeof identity === 'string' && identity.trim() !== '') {
    const domain = identity.includes('@') ? domainOfAddress(identity) : identity.trim();
    if (domain !== undefined) return { domain, source: `${contextKeys.sesIdentity} in cdk.json` };
  }
  const sender = context[contextKeys.senderEmail];
  const domain = typeof sender === 'string' ? domainOfAddress(sender) : undefined;
  if (domain !== undefined) return { domain, source: `the domain of ${contextKeys.senderEmail} in cdk.json` };
  return { problem: `cdk.json sets neither ${contextKeys.sesIdentity} nor ${contextKeys.senderEmail}` };
};

const readConfiguredDomain = async (cwd: string): Promise<ConfiguredDomain> => {
  let text: string;
  try {
    text = await readFile(join(cwd, 'cdk.json'), 'utf8');
  } catch {
    return { problem: `no cdk.json in ${cwd}` };
  }
  try {
    return configuredDomain(JSON.parse(text));
  } catch (error) {
    return { problem: `cdk.json is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
};

const realDependencies = (env: DeliverabilityContext['env']) => async (): Promise<CheckDeliverabilityDeps> =>
  (await import('./deliverability-dependencies.js')).deliverabilityDependencies(env);

const check = async (values: { domain?: string; json: boolean }, context: DeliverabilityContext) => {
  const cwd = context.cwd ?? process.cwd();
  const configured: ConfiguredDomain =
    values.domain === undefined
      ? await readConfiguredDomain(cwd)
      : { domain: values.domain, source: '--domain' };
  if ('problem' in configured) {
    context.print(
      terminal`no domain to check: ${configured.problem}. Give it with --domain <domain>, or run from the checkout whose cdk.json sets ${contextKeys.senderEmail}.`,
    );
    return 2;
  }
  const parsed = parseSenderDomain(configured.domain);
  if (!parsed.ok) {
    if (values.domain !== undefined) throw context.usage(`--domain "${values.domain}" ${parsed.problem}`);
    context.print(
      terminal`no domain to check: ${configured.domain} (${configured.source}) ${parsed.problem}. Set your own there, or give one with --domain <domain>.`,
    );
    return 2;
  }
  try {
    const dependencies = await (context.dependencies ?? realDependencies(context.env))();
    const report = await checkDeliverability(dependencies, parsed.domain);
    const source = configured.source === '--domain' ? undefined : `from ${configured.source}`;
    context.print(values.json ? terminalJson(report) : deliverabilityText(report, source));
    return deliverabilityFails(report) ? 1 : 0;
  } catch (error) {
    // The check reports the network and SES's refusals itself; this is anything else, said without a stack.
    context.print(terminal`the check stopped: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
};

/** `rapport deliverability check [--domain <domain>] [--json]`. */
export const deliverabilityCommand = async (
  argv: string[],
  context: DeliverabilityContext,
): Promise<number> => {
  let parsed: ReturnType<typeof parseDeliverabilityArgs>;
  try {
    parsed = parseDeliverabilityArgs(argv);
  } catch (error) {
    throw context.usage(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help) {
    context.print(usageText);
    return 0;
  }
  if (command !== 'check')
    throw context.usage(`unknown command "deliverability ${command ?? ''}"; use deliverability check`);
  if (rest.length > 0)
    throw context.usage(`deliverability check takes no arguments; got "${rest.join(' ')}"`);
  return check(
    { ...(values.domain === undefined ? {} : { domain: values.domain }), json: values.json },
    context,
  );
};

const parseDeliverabilityArgs = (argv: string[]) =>
  parseArgs({
    args: argv,
    options: {
      domain: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });

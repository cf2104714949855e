import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckDeliverabilityDeps } from '../../../lib/app/check-deliverability.js';
import {
  type DeliverabilityContext,
  deliverabilityCommand,
} from '../../../lib/cli/deliverability-command.js';
import { runCli, UsageError } from '../../../lib/cli/main.js';
import { DeliverabilityCheckReport } from '../../../lib/domain/deliverability-check.js';
import type { SesReading } from '../../../lib/domain/ses-account.js';
import {
  domain,
  identityWith,
  noCustomMailFrom,
  productionAccount,
  readingOf,
  region,
  sandboxAccount,
  verifiedIdentity,
} from '../deliverability/support/ses-answers.js';
import {
  failingResolver,
  healthyZone,
  StubResolver,
  type Zone,
} from '../deliverability/support/stub-resolver.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A checkout whose cdk.json holds this context (or no cdk.json at all). */
const checkout = (context?: Record<string, unknown>): string => {
  const folder = mkdtempSync(join(tmpdir(), 'rapport-deliverability-'));
  folders.push(folder);
  if (context !== undefined)
    writeFileSync(join(folder, 'cdk.json'), JSON.stringify({ app: 'npx tsx x', context }));
  return folder;
};

const run = async (
  argv: string[],
  options: { ses?: SesReading; zone?: Zone; dns?: CheckDeliverabilityDeps['dns']; cwd?: string } = {},
) => {
  const printed: string[] = [];
  const readFor: string[] = [];
  const context: DeliverabilityContext = {
    print: (text) => printed.push(text.toString()),
    env: {},
    usage: (message) => new UsageError(message),
    cwd: options.cwd ?? checkout(),
    dependencies: async () => ({
      ses: {
        read: async (identity) => {
          readFor.push(identity);
          return options.ses ?? readingOf(productionAccount(), verifiedIdentity());
        },
      },
      dns: options.dns ?? new StubResolver(options.zone ?? healthyZone()),
    }),
  };
  const code = await deliverabilityCommand(argv, context);
  return { code, output: printed.join('\n'), readFor };
};

describe('rapport deliverability check', () => {
  describe('when everything is in place', () => {
    it('prints a ✓ line for each check and exits 0', async () => {
      const { code, output } = await run(['check', '--domain', domain]);

      expect(code).toBe(0);
      const lines = output.split('\n');
      expect(lines[0]).toBe(`Deliverability of ${domain} (SES in ${region})`);
      expect(lines).toContain('✓ Production access  SES sends to any address');
      expect(lines).toContain(`✓ DMARC              _dmarc.${domain} is published: p=quarantine`);
      expect(lines.filter((text) => text.startsWith('✓'))).toHaveLength(12);
      expect(lines.at(-1)).toBe('Nothing to fix.');
    });
  });

  describe('when something required is missing', () => {
    const zone = (): Zone =>
      Object.fromEntries(Object.entries(healthyZone()).filter(([name]) => name !== `_dmarc.${domain}`));

    it('prints ✗ with the record to add under it, ! for what to watch, and exits 1', async () => {
      const { code, output } = await run(['check', '--domain', domain], {
        ses: readingOf(sandboxAccount(), identityWith({ dkim: { Status: 'PENDING' } })),
        zone: zone(),
      });

      expect(code).toBe(1);
      const lines = output.split('\n');
      const dmarc = lines.findIndex((text) => text.startsWith('✗ DMARC'));
      expect(lines[dmarc]).toBe(`✗ DMARC              no DMARC record at _dmarc.${domain}`);
      expect(lines[dmarc + 1]).toBe(
        `                     add: TXT _dmarc.${domain} "v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}; adkim=r; aspf=r"`,
      );
      expect(lines).toContain(
        '! DKIM               SES has not found the DKIM records yet (Easy DKIM); it looks for up to 72 hours',
      );
      expect(lines.some((text) => text.startsWith('✗ Production access'))).toBe(true);
      expect(lines.some((text) => text.startsWith('! Alignment          only SPF aligns'))).toBe(true);
      expect(lines.at(-1)).toBe('2 things to fix, 2 to watch.');
    });

    it('prints the same checks as one JSON object with --json, and still exits 1', async () => {
      const { code, output } = await run(['check', '--domain', domain, '--json'], {
        ses: readingOf(productionAccount(), identityWith({ mailFrom: noCustomMailFrom() })),
      });

      expect(code).toBe(1);
      const report = DeliverabilityCheckReport.parse(JSON.parse(output));
      expect(report).toMatchObject({ domain, region, unreachable: [] });
      expect(report.checks.find((check) => check.id === 'mail-from')).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining(
          `then add: MX bounce.${domain} 10 feedback-smtp.${region}.amazonses.com`,
        ),
      });
      expect(report.checks.find((check) => check.id === 'identity')).toEqual({
        id: 'identity',
        status: 'ok',
        summary: `${domain} is verified for sending in ${region}`,
      });
    });
  });

  describe('when there is no network', () => {
    it('says so plainly and exits 1, without a stack trace', async () => {
      const { code, output } = await run(['check', '--domain', domain], {
        ses: {
          kind: 'unreadable',
          reason: 'unreachable',
          detail: 'getaddrinfo ENOTFOUND email.eu-west-1.amazonaws.com',
        },
        dns: failingResolver('ECONNREFUSED'),
      });

      expect(code).toBe(1);
      expect(output).toContain('✗ DNS');
      expect(output).toContain('✗ SES                cannot reach SES: no network?');
      expect(output.split('\n').at(-1)).toBe(
        'No network: neither DNS nor SES answered. Run the check again once connected.',
      );
      expect(output).not.toMatch(/\n\s+at /);
    });

    it('says the check stopped, and exits 1, if anything else goes wrong', async () => {
      const printed: string[] = [];
      const code = await deliverabilityCommand(['check', '--domain', domain], {
        print: (text) => printed.push(text.toString()),
        env: {},
        usage: (message) => new UsageError(message),
        dependencies: async () => ({
          ses: {
            read: async () => {
              throw new RangeError('reader out of order');
            },
          },
          dns: new StubResolver(healthyZone()),
        }),
      });

      expect(code).toBe(1);
      expect(printed).toEqual(['the check stopped: reader out of order']);
    });

    it('reports a resolver that throws as a lookup that failed, on the lines that needed it', async () => {
      const { code, output } = await run(['check', '--domain', domain], {
        dns: {
          resolveCname: async () => [],
          resolveMx: async () => [],
          resolveTxt: () => {
            throw new RangeError('resolver out of order');
          },
        },
      });

      expect(code).toBe(1);
      expect(output).toContain(
        `✗ DMARC              cannot tell: the TXT lookup of _dmarc.${domain} failed (resolver out of order)`,
      );
    });
  });

  it('shows a control character from a DNS record instead of letting the terminal obey it', async () => {
    const zone = healthyZone();
    zone[`_dmarc.${domain}`] = { TXT: [['v=DMARC1; rua=mailto:x@y.z\u001b[2J']] };

    const { output } = await run(['check', '--domain', domain], { zone });

    expect(output).not.toContain('\u001b');
    expect(output).toContain('\\u001b[2J');
  });

  describe('without --domain', () => {
    it('checks the SES identity cdk.json names', async () => {
      const cwd = checkout({
        'rapport:sesIdentity': domain,
        'rapport:senderEmail': 'Shop <hello@other-shop.com>',
      });

      const { code, output, readFor } = await run(['check'], { cwd });

      expect(code).toBe(0);
      expect(readFor).toEqual([domain]);
      expect(output.split('\n')[0]).toBe(
        `Deliverability of ${domain} (SES in ${region}; from rapport:sesIdentity in cdk.json)`,
      );
    });

    it('checks the domain of the sender cdk.json names when it has no SES identity', async () => {
      const cwd = checkout({
        'rapport:sesIdentity': '',
        'rapport:senderEmail': `Northwind <hello@${domain.toUpperCase()}>`,
      });

      const { readFor } = await run(['check'], { cwd });

      expect(readFor).toEqual([domain]);
    });

    it('says it has no domain to check, and reads nothing, when cdk.json still holds the example', async () => {
      const cwd = checkout({
        'rapport:sesIdentity': 'example.com',
        'rapport:senderEmail': 'Rapport <hello@example.com>',
      });

      const { code, output, readFor } = await run(['check'], { cwd });

      expect(code).toBe(2);
      expect(readFor).toEqual([]);
      expect(output).toBe(
        'no domain to check: example.com (rapport:sesIdentity in cdk.json) is reserved for examples: no one sends real mail from it. Set your own there, or give one with --domain <domain>.',
      );
    });

    it('says it has no domain to check where there is no cdk.json', async () => {
      const cwd = checkout();

      const { code, output } = await run(['check'], { cwd });

      expect(code).toBe(2);
      expect(output).toBe(
        `no domain to check: no cdk.json in ${cwd}. Give it with --domain <domain>, or run from the checkout whose cdk.json sets rapport:senderEmail.`,
      );
    });
  });

  describe('when the command line is wrong', () => {
    it.each([
      [['check', '--domain', 'not a domain'], '--domain "not a domain" is not a domain such as shop.com'],
      [
        ['check', '--domain', 'shop.test'],
        '--domain "shop.test" is reserved for examples: no one sends real mail from it',
      ],
      [['verify'], 'unknown command "deliverability verify"; use deliverability check'],
      [['check', 'extra'], 'deliverability check takes no arguments; got "extra"'],
    ])('refuses %j: %s', async (argv, message) => {
      await expect(run(argv)).rejects.toThrow(new UsageError(message));
    });

    it('refuses an option it does not know, as a usage mistake', async () => {
      await expect(run(['check', '--domian', domain])).rejects.toBeInstanceOf(UsageError);
    });
  });

  it('is dispatched by the CLI, with --domain its own option', async () => {
    const io = { print: () => {}, env: {} };

    await expect(runCli(['deliverability', 'check', '--domain', 'shop.invalid'], io)).rejects.toThrow(
      '--domain "shop.invalid" is reserved for examples',
    );
  });

  it('is dispatched by the CLI when an option comes before it', async () => {
    const io = { print: () => {}, env: {} };

    await expect(
      runCli(['--json', 'deliverability', 'check', '--domain', 'shop.invalid'], io),
    ).rejects.toThrow('--domain "shop.invalid" is reserved for examples');
  });
});

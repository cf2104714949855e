import { describe, expect, it } from 'vitest';
import { checkDeliverability } from '../../../lib/app/check-deliverability.js';
import {
  type DeliverabilityCheck,
  type DeliverabilityCheckReport,
  deliverabilityFails,
} from '../../../lib/domain/deliverability-check.js';
import type { SesReading } from '../../../lib/domain/ses-account.js';
import type { DnsResolver } from '../../../lib/ports/dns-resolver.js';
import {
  dkimTokens,
  domain,
  identityWith,
  mailFromDomain,
  noCustomMailFrom,
  productionAccount,
  readingOf,
  region,
  sandboxAccount,
  verifiedIdentity,
} from './support/ses-answers.js';
import { failingResolver, healthyZone, StubResolver, type Zone } from './support/stub-resolver.js';

const healthyReading = (): SesReading => readingOf(productionAccount(), verifiedIdentity());

const run = (options: { ses?: SesReading; zone?: Zone; dns?: DnsResolver; domain?: string } = {}) =>
  checkDeliverability(
    {
      ses: { read: async () => options.ses ?? healthyReading() },
      dns: options.dns ?? new StubResolver(options.zone ?? healthyZone()),
    },
    options.domain ?? domain,
  );

const line = (report: DeliverabilityCheckReport, id: DeliverabilityCheck['id']) =>
  report.checks.find((check) => check.id === id);

const ids = (report: DeliverabilityCheckReport) => report.checks.map((check) => check.id);

const zoneWithout = (...names: string[]): Zone =>
  Object.fromEntries(Object.entries(healthyZone()).filter(([name]) => !names.includes(name)));

describe('when the domain is set up and the account has production access', () => {
  it('reports every line, in order, as right, and does not fail', async () => {
    const report = await run();

    expect(report).toMatchObject({ domain, region, unreachable: [] });
    expect(ids(report)).toEqual([
      'production-access',
      'sending-enabled',
      'send-quota',
      'enforcement',
      'identity',
      'dkim',
      'dkim-records',
      'mail-from',
      'mail-from-mx',
      'mail-from-spf',
      'dmarc',
      'dmarc-alignment',
    ]);
    expect(report.checks.filter((check) => check.status !== 'ok')).toEqual([]);
    expect(report.checks.filter((check) => check.fix !== undefined)).toEqual([]);
    expect(deliverabilityFails(report)).toBe(false);
  });

  it('gives the quota and rate as SES reports them', async () => {
    expect(line(await run(), 'send-quota')?.summary).toBe(
      '50,000 a day, 14 a second; 1,234 sent in the last 24 hours',
    );
  });

  it('reads DMARC from its strings joined, and says how it aligns', async () => {
    const report = await run();

    expect(line(report, 'dmarc')?.summary).toBe(`_dmarc.${domain} is published: p=quarantine`);
    expect(line(report, 'dmarc-alignment')?.summary).toBe(
      `DKIM (d=${domain}) and SPF (${mailFromDomain}) both align with ${domain} (adkim=r, aspf=r)`,
    );
  });
});

describe('when a DKIM CNAME is missing', () => {
  const [missing = '', wrong = ''] = dkimTokens;
  const zone = (): Zone => ({
    ...zoneWithout(`${missing}._domainkey.${domain}`),
    [`${wrong}._domainkey.${domain}`]: { CNAME: [`${wrong}.dkim.example.net`] },
  });

  it('fails, giving the exact CNAME to add and the one to change', async () => {
    const report = await run({ zone: zone() });

    expect(line(report, 'dkim-records')).toEqual({
      id: 'dkim-records',
      status: 'fail',
      summary: '2 of 3 DKIM CNAMEs missing or wrong',
      fix: [
        `add: CNAME ${missing}._domainkey.${domain} ${missing}.dkim.amazonses.com`,
        `change: CNAME ${wrong}._domainkey.${domain} ${wrong}.dkim.amazonses.com (it points to ${wrong}.dkim.example.net)`,
      ].join('\n'),
    });
    expect(deliverabilityFails(report)).toBe(true);
  });

  it('warns while SES has not found the records yet, and fails once it gave up', async () => {
    const pending = await run({
      zone: zone(),
      ses: readingOf(productionAccount(), identityWith({ dkim: { Status: 'PENDING' } })),
    });
    const failed = await run({
      zone: zone(),
      ses: readingOf(productionAccount(), identityWith({ dkim: { Status: 'FAILED' } })),
    });

    expect(line(pending, 'dkim')).toMatchObject({ status: 'warn', fix: 'publish the DKIM CNAMEs' });
    expect(line(failed, 'dkim')).toMatchObject({ status: 'fail' });
    expect(line(failed, 'dkim')?.summary).toContain('does not sign');
  });

  it('says neither DKIM nor SPF aligns when SPF does not pass either', async () => {
    const report = await run({
      ses: readingOf(
        productionAccount(),
        identityWith({ dkim: { Status: 'FAILED' }, mailFrom: noCustomMailFrom() }),
      ),
    });

    expect(line(report, 'dmarc-alignment')).toMatchObject({ status: 'fail' });
    expect(line(report, 'dmarc-alignment')?.summary).toMatch(
      /^neither DKIM nor SPF aligns with northwind-books\.com/,
    );
  });
});

describe('when the key is 1024 bits and no longer one is on its way', () => {
  it('warns, with the command that rotates to 2048 bits', async () => {
    const report = await run({
      ses: readingOf(
        productionAccount(),
        identityWith({
          dkim: { CurrentSigningKeyLength: 'RSA_1024_BIT', NextSigningKeyLength: 'RSA_1024_BIT' },
        }),
      ),
    });

    expect(line(report, 'dkim')).toEqual({
      id: 'dkim',
      status: 'warn',
      summary: 'DKIM signs, with a 1024-bit key',
      fix: `aws sesv2 put-email-identity-dkim-signing-attributes --email-identity ${domain} --signing-attributes-origin AWS_SES --signing-attributes NextSigningKeyLength=RSA_2048_BIT`,
    });
  });
});

describe('when the MAIL FROM domain is pending', () => {
  const pending = () =>
    readingOf(
      productionAccount(),
      identityWith({
        mailFrom: {
          MailFromDomain: mailFromDomain,
          MailFromDomainStatus: 'PENDING',
          BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
        },
      }),
    );

  it('warns that mail goes out with amazonses.com until SES finds the MX record', async () => {
    const report = await run({ ses: pending(), zone: zoneWithout(mailFromDomain) });

    expect(line(report, 'mail-from')).toEqual({
      id: 'mail-from',
      status: 'warn',
      summary: `MAIL FROM ${mailFromDomain}: SES has not found its MX record yet; until then mail goes out with amazonses.com as MAIL FROM`,
      fix: `publish the MX and SPF records of ${mailFromDomain}`,
    });
  });

  it('gives the exact MX and SPF records to add', async () => {
    const report = await run({ ses: pending(), zone: zoneWithout(mailFromDomain) });

    expect(line(report, 'mail-from-mx')).toMatchObject({
      status: 'fail',
      fix: `add: MX ${mailFromDomain} 10 feedback-smtp.${region}.amazonses.com`,
    });
    expect(line(report, 'mail-from-spf')).toMatchObject({
      status: 'fail',
      fix: `add: TXT ${mailFromDomain} "v=spf1 include:amazonses.com ~all"`,
    });
  });

  it('counts on DKIM alone for DMARC meanwhile', async () => {
    const report = await run({ ses: pending() });

    expect(line(report, 'dmarc-alignment')).toMatchObject({
      status: 'warn',
      fix: `publish the MX and SPF records of ${mailFromDomain}`,
    });
  });
});

describe('when the identity has no custom MAIL FROM domain', () => {
  it('fails with the command to set one and the records it needs, and looks none of them up', async () => {
    const dns = new StubResolver(healthyZone());
    const report = await run({
      ses: readingOf(productionAccount(), identityWith({ mailFrom: noCustomMailFrom() })),
      dns,
    });

    const mailFrom = line(report, 'mail-from');
    expect(mailFrom?.status).toBe('fail');
    expect(mailFrom?.summary).toBe(
      `no custom MAIL FROM domain: bounces go to amazonses.com, so SPF passes for amazonses.com, not ${domain}`,
    );
    expect(mailFrom?.fix?.split('\n')).toEqual([
      `deploy the stack with rapport:mailFromSubdomain (default bounce), or: aws sesv2 put-email-identity-mail-from-attributes --email-identity ${domain} --mail-from-domain bounce.${domain} --behavior-on-mx-failure USE_DEFAULT_VALUE`,
      `then add: MX bounce.${domain} 10 feedback-smtp.${region}.amazonses.com`,
      `and add: TXT bounce.${domain} "v=spf1 include:amazonses.com ~all"`,
    ]);
    expect(ids(report)).not.toContain('mail-from-mx');
    expect(dns.asked.filter((asked) => asked.includes(mailFromDomain))).toEqual([]);
  });
});

describe('when the MAIL FROM records are there but wrong', () => {
  it('fails an MX that points at another region, giving the right one', async () => {
    const zone = healthyZone();
    zone[mailFromDomain] = {
      ...zone[mailFromDomain],
      MX: [{ exchange: 'feedback-smtp.us-east-1.amazonses.com.', priority: 10 }],
    };

    expect(line(await run({ zone }), 'mail-from-mx')).toEqual({
      id: 'mail-from-mx',
      status: 'fail',
      summary: `the MX of ${mailFromDomain} is 10 feedback-smtp.us-east-1.amazonses.com, not SES's in ${region}`,
      fix: `change it to: MX ${mailFromDomain} 10 feedback-smtp.${region}.amazonses.com`,
    });
  });

  it('fails an SPF record without amazonses.com, and shows it with amazonses.com added', async () => {
    const zone = healthyZone();
    zone[mailFromDomain] = { ...zone[mailFromDomain], TXT: [['v=spf1 include:_spf.google.com ~all']] };

    expect(line(await run({ zone }), 'mail-from-spf')).toMatchObject({
      status: 'fail',
      fix: `change it to: TXT ${mailFromDomain} "v=spf1 include:amazonses.com include:_spf.google.com ~all"`,
    });
  });

  it('fails two SPF records, which receivers treat as an error', async () => {
    const zone = healthyZone();
    zone[mailFromDomain] = {
      ...zone[mailFromDomain],
      TXT: [['v=spf1 include:amazonses.com ~all'], ['v=spf1 mx -all'], ['google-site-verification=abc']],
    };

    expect(line(await run({ zone }), 'mail-from-spf')).toMatchObject({
      status: 'fail',
      summary: `2 SPF records at ${mailFromDomain}: receivers treat that as an error`,
    });
  });
});

describe('when there is no DMARC record', () => {
  it('fails with the suggested p=none record and how to tighten it later', async () => {
    const report = await run({ zone: zoneWithout(`_dmarc.${domain}`) });

    const dmarc = line(report, 'dmarc');
    expect(dmarc?.status).toBe('fail');
    expect(dmarc?.summary).toBe(`no DMARC record at _dmarc.${domain}`);
    const [add, tighten] = dmarc?.fix?.split('\n') ?? [];
    expect(add).toBe(
      `add: TXT _dmarc.${domain} "v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}; adkim=r; aspf=r"`,
    );
    expect(tighten).toContain('p=quarantine');
    expect(tighten).toContain('p=reject');
  });

  it('judges alignment by DMARC’s relaxed defaults', async () => {
    const report = await run({ zone: zoneWithout(`_dmarc.${domain}`) });

    expect(line(report, 'dmarc-alignment')?.summary).toContain('(adkim=r, aspf=r, the defaults)');
  });
});

describe('when the DMARC record only reports', () => {
  it('warns, and says how to tighten it with the record’s own report address', async () => {
    const zone = healthyZone();
    zone[`_dmarc.${domain}`] = { TXT: [['v=DMARC1; p=none; rua=mailto:reports@dmarc.example.net']] };

    const dmarc = line(await run({ zone }), 'dmarc');
    expect(dmarc).toMatchObject({
      status: 'warn',
      summary: `_dmarc.${domain} is published: p=none: receivers only report, they do not act`,
    });
    expect(dmarc?.fix).toContain('reports@dmarc.example.net');
    expect(dmarc?.fix).toContain('p=quarantine');
  });

  it('warns louder without a report address, giving the record to use', async () => {
    const zone = healthyZone();
    zone[`_dmarc.${domain}`] = { TXT: [['v=DMARC1; p=none']] };

    expect(line(await run({ zone }), 'dmarc')).toMatchObject({
      status: 'warn',
      fix: `change it to: TXT _dmarc.${domain} "v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}; adkim=r; aspf=r"`,
    });
  });
});

describe('when the DMARC record is there but broken', () => {
  it('fails a record without a policy, quoting it', async () => {
    const zone = healthyZone();
    zone[`_dmarc.${domain}`] = { TXT: [['v=DMARC1; rua=mailto:dmarc-reports@northwind-books.com']] };

    expect(line(await run({ zone }), 'dmarc')).toMatchObject({
      status: 'fail',
      summary: `the DMARC record at _dmarc.${domain} has no p= policy, so receivers ignore it: "v=DMARC1; rua=mailto:dmarc-reports@northwind-books.com"`,
    });
  });

  it('fails two DMARC records, and ignores other TXT records at the name', async () => {
    const zone = healthyZone();
    zone[`_dmarc.${domain}`] = {
      TXT: [['v=DMARC1; p=none'], ['v=DMARC1; p=reject'], ['some-verification=1']],
    };

    expect(line(await run({ zone }), 'dmarc')).toMatchObject({
      status: 'fail',
      summary: `2 DMARC records at _dmarc.${domain}: receivers ignore them all`,
    });
  });
});

describe('when DMARC asks for strict SPF alignment', () => {
  it('warns that SPF cannot align with a MAIL FROM subdomain, so DMARC rests on DKIM alone', async () => {
    const zone = healthyZone();
    zone[`_dmarc.${domain}`] = { TXT: [[`v=DMARC1; p=reject; rua=mailto:dmarc-reports@${domain}; aspf=s`]] };

    expect(line(await run({ zone }), 'dmarc-alignment')).toEqual({
      id: 'dmarc-alignment',
      status: 'warn',
      summary: `only DKIM aligns, which is enough for DMARC: aspf=s asks for ${domain} exactly, and the MAIL FROM is ${mailFromDomain} (adkim=r, aspf=s)`,
      fix: 'relax SPF alignment: aspf=r in the DMARC record',
    });
  });
});

describe('when the From domain is a subdomain without a DMARC record of its own', () => {
  it('applies the parent’s record, by its subdomain policy', async () => {
    const news = `news.${domain}`;
    const zone = healthyZone();
    zone[`_dmarc.${domain}`] = { TXT: [[`v=DMARC1; p=none; sp=reject; rua=mailto:dmarc-reports@${domain}`]] };

    const report = await run({ domain: news, ses: readingOf(productionAccount(), null), zone });

    expect(line(report, 'dmarc')).toEqual({
      id: 'dmarc',
      status: 'ok',
      summary: `_dmarc.${domain} applies to ${news}: sp=reject`,
    });
    expect(line(report, 'identity')?.fix?.split('\n').at(-1)).toBe(
      `or, to send through ${domain}'s identity, check that: --domain ${domain}`,
    );
  });
});

describe('when the account is in the sandbox', () => {
  it('fails, with how to ask for production access', async () => {
    const report = await run({ ses: readingOf(sandboxAccount(), verifiedIdentity()) });

    expect(line(report, 'production-access')).toEqual({
      id: 'production-access',
      status: 'fail',
      summary: 'the account is in the SES sandbox: it mails only verified addresses',
      fix: `ask for production access: aws sesv2 put-account-details --production-access-enabled --mail-type MARKETING --website-url https://${domain}, or in the SES console (Account dashboard)`,
    });
    expect(line(report, 'send-quota')?.summary).toBe('200 a day, 1 a second; 0 sent in the last 24 hours');
    expect(deliverabilityFails(report)).toBe(true);
  });

  it('says when AWS is still reviewing the request', async () => {
    const account = sandboxAccount();
    const report = await run({
      ses: readingOf(
        {
          ...account,
          Details: { MailType: 'MARKETING', ReviewDetails: { Status: 'PENDING', CaseId: '99' } },
        },
        verifiedIdentity(),
      ),
    });

    expect(line(report, 'production-access')?.summary).toContain(
      'AWS is reviewing the request for production access (case 99)',
    );
  });
});

describe('when SES holds the account back', () => {
  it('fails probation and a shutdown, and warns near the end of the day’s quota', async () => {
    const account = productionAccount();
    const probation = await run({
      ses: readingOf({ ...account, EnforcementStatus: 'PROBATION' }, verifiedIdentity()),
    });
    const shutdown = await run({
      ses: readingOf(
        { ...account, EnforcementStatus: 'SHUTDOWN', SendingEnabled: false },
        verifiedIdentity(),
      ),
    });
    const busy = await run({
      ses: readingOf(
        { ...account, SendQuota: { Max24HourSend: 50_000, MaxSendRate: 14, SentLast24Hours: 45_000 } },
        verifiedIdentity(),
      ),
    });

    expect(line(probation, 'enforcement')).toMatchObject({ status: 'fail' });
    expect(line(shutdown, 'enforcement')).toMatchObject({ status: 'fail' });
    expect(line(shutdown, 'sending-enabled')).toMatchObject({
      status: 'fail',
      fix: 'SES shut the account down: see the reputation line',
    });
    expect(line(busy, 'send-quota')).toMatchObject({ status: 'warn' });
    expect(line(busy, 'send-quota')?.summary).toContain("90% of the day's quota");
  });
});

describe('when SES has no identity for the domain', () => {
  it('fails with how to create it, and checks no DKIM or MAIL FROM', async () => {
    const report = await run({ ses: readingOf(productionAccount(), null) });

    expect(line(report, 'identity')).toEqual({
      id: 'identity',
      status: 'fail',
      summary: `SES has no identity ${domain} in ${region}`,
      fix: `deploy the stack with rapport:sesIdentity set to ${domain}, or: aws sesv2 create-email-identity --email-identity ${domain}`,
    });
    expect(ids(report)).not.toContain('dkim');
    expect(ids(report)).not.toContain('mail-from');
    expect(ids(report)).toContain('dmarc');
  });
});

describe('when the resolver is offline', () => {
  it.each(['ECONNREFUSED', 'ETIMEOUT', 'ESERVFAIL', 'EAI_AGAIN'])(
    'says DNS cannot be reached (%s) instead of reporting records missing, and fails',
    async (code) => {
      const report = await run({ dns: failingResolver(code) });

      expect(report.unreachable).toEqual(['dns']);
      expect(report.checks[0]).toMatchObject({ id: 'dns', status: 'fail' });
      expect(report.checks[0]?.summary).toContain(`(${code}); no network?`);
      expect(ids(report)).toEqual([
        'dns',
        'production-access',
        'sending-enabled',
        'send-quota',
        'enforcement',
        'identity',
        'dkim',
        'mail-from',
      ]);
      expect(
        report.checks.some((check) => check.fix?.includes('add:') === true && check.id !== 'mail-from'),
      ).toBe(false);
      expect(deliverabilityFails(report)).toBe(true);
    },
  );

  it('distrusts a resolver that says even amazonses.com does not exist', async () => {
    const report = await run({ zone: {} });

    expect(report.unreachable).toEqual(['dns']);
    expect(report.checks[0]?.summary).toContain('DNS says amazonses.com does not exist');
    expect(ids(report)).not.toContain('dmarc');
  });

  it('reports a lookup that fails for another reason on its own line, as unknown', async () => {
    const zone = healthyZone();
    const resolver = new StubResolver(zone);
    const dns: DnsResolver = {
      resolveCname: (name) => resolver.resolveCname(name),
      resolveMx: async (name) => {
        throw Object.assign(new Error(`queryMx EBADRESP ${name}`), { code: 'EBADRESP' });
      },
      resolveTxt: (name) => resolver.resolveTxt(name),
    };

    const report = await run({ dns });

    expect(report.unreachable).toEqual([]);
    expect(line(report, 'mail-from-mx')).toEqual({
      id: 'mail-from-mx',
      status: 'fail',
      summary: `cannot tell: the MX lookup of ${mailFromDomain} failed (EBADRESP)`,
    });
  });
});

describe('when SES cannot be read', () => {
  it('says why and what to do, and still checks DMARC', async () => {
    const report = await run({
      ses: {
        kind: 'unreadable',
        reason: 'no-credentials',
        detail: 'Could not load credentials from any providers',
      },
    });

    expect(report.region).toBeNull();
    expect(ids(report)).toEqual(['ses', 'dmarc']);
    expect(line(report, 'ses')).toMatchObject({
      status: 'fail',
      summary: 'cannot read SES: no usable AWS credentials (Could not load credentials from any providers)',
    });
    expect(line(report, 'ses')?.fix).toContain('AWS_PROFILE');
  });

  it('counts SES as unreachable only when the network failed', async () => {
    const offline = await run({
      ses: { kind: 'unreadable', reason: 'unreachable', detail: 'connect ECONNREFUSED' },
    });
    const denied = await run({
      ses: { kind: 'unreadable', reason: 'access-denied', detail: 'not authorized' },
    });

    expect(offline.unreachable).toEqual(['ses']);
    expect(denied.unreachable).toEqual([]);
    expect(line(denied, 'ses')?.fix).toContain('ses:GetAccount and ses:GetEmailIdentity');
  });
});

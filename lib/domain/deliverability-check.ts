import { z } from 'zod';
import { aligns, type DmarcRecord, isDmarcText, isWithin, parseDmarcRecord } from './dmarc-record.js';
import { type DnsAnswer, type DnsLookup, type DnsQuestion, dnsName } from './dns-answer.js';
import {
  type DnsRecord,
  defaultDkimSigningZone,
  defaultDmarcReportEmail,
  defaultMailFromSubdomain,
  dmarcRecordName,
  dmarcTightening,
  dmarcValue,
  dnsRecordLine,
  easyDkimRecords,
  mailFromMxValue,
  mailFromSpfValue,
} from './sender-dns-records.js';
import type { SesAccount, SesEmailIdentity, SesReading } from './ses-account.js';

export const CheckStatus = z.enum(['ok', 'warn', 'fail']);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** In the order the check reports them: what could not be reached, the account, the identity, DNS. */
export const DeliverabilityCheckId = z.enum([
  'dns',
  'ses',
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
export type DeliverabilityCheckId = z.infer<typeof DeliverabilityCheckId>;

export const DeliverabilityCheck = z.object({
  id: DeliverabilityCheckId,
  /** `fail`: mail is refused, unauthenticated or unaligned until it is fixed; `warn`: it goes, but watch it. */
  status: CheckStatus,
  summary: z.string().min(1),
  /** What to do, one step or record a line: records as `TYPE name value`, ready to add. */
  fix: z.string().min(1).optional(),
});
export type DeliverabilityCheck = z.infer<typeof DeliverabilityCheck>;

export const DeliverabilityCheckReport = z.object({
  domain: z.string(),
  /** The SES region read; null when SES could not be read. */
  region: z.string().nullable(),
  /** What the network did not reach: the check could not tell what it needed them for. */
  unreachable: z.array(z.enum(['dns', 'ses'])),
  checks: z.array(DeliverabilityCheck),
});
export type DeliverabilityCheckReport = z.infer<typeof DeliverabilityCheckReport>;

/** The check fails, and the command exits non-zero, when anything required is missing or wrong. */
export const deliverabilityFails = (report: DeliverabilityCheckReport): boolean =>
  report.checks.some((check) => check.status === 'fail');

const reservedDomains = ['example.com', 'example.net', 'example.org'];
const reservedTopLevel = new Set(['example', 'test', 'invalid', 'localhost', 'local']);
const Hostname = z.hostname();

/** The problem completes a sentence whose subject is the domain as given. */
export type SenderDomainParse = { ok: true; domain: string } | { ok: false; problem: string };

/**
 * The From domain to check. Names reserved for examples (RFC 2606, 6761) are refused:
 * one is what a fresh cdk.json holds, and checking it would only report its strangers' DNS.
 */
export const parseSenderDomain = (text: string): SenderDomainParse => {
  const domain = dnsName(text);
  if (!Hostname.safeParse(domain).success || !domain.includes('.'))
    return { ok: false, problem: 'is not a domain such as shop.com' };
  const topLevel = domain.slice(domain.lastIndexOf('.') + 1);
  if (reservedDomains.some((reserved) => isWithin(domain, reserved)) || reservedTopLevel.has(topLevel))
    return { ok: false, problem: 'is reserved for examples: no one sends real mail from it' };
  return { ok: true, domain };
};

/** The domain and its parents down to two labels: where a receiver looks for the DMARC record that applies. */
const dmarcDomains = (domain: string): string[] => {
  const labels = domain.split('.');
  return labels.slice(0, Math.max(1, labels.length - 1)).map((_, index) => labels.slice(index).join('.'));
};

const usesOwnDkimKeys = (identity: SesEmailIdentity): boolean =>
  identity.DkimAttributes?.SigningAttributesOrigin === 'EXTERNAL';

const dkimRecordsOf = (domain: string, identity: SesEmailIdentity): DnsRecord[] =>
  usesOwnDkimKeys(identity)
    ? []
    : easyDkimRecords(
        domain,
        identity.DkimAttributes?.Tokens ?? [],
        identity.DkimAttributes?.SigningHostedZone ?? defaultDkimSigningZone,
      );

const mailFromOf = (identity: SesEmailIdentity): string | undefined => {
  const name = identity.MailFromAttributes?.MailFromDomain;
  return name === undefined || name.trim() === '' ? undefined : dnsName(name);
};

/**
 * A name that exists wherever the check is worth running. A resolver that says it does
 * not (a filtered network, a captive portal) says the same of every record, and its
 * "missing" would be reported as records to add.
 */
export const resolverCanary: DnsQuestion = { type: 'TXT', name: 'amazonses.com' };

/** What to look up, once SES has said which DKIM tokens and MAIL FROM domain the identity has. */
export const dnsQuestions = (domain: string, ses: SesReading): DnsQuestion[] => {
  const identity = ses.kind === 'read' ? ses.identity : null;
  const mailFrom = identity === null ? undefined : mailFromOf(identity);
  return [
    ...(identity === null ? [] : dkimRecordsOf(domain, identity)).map(
      (record): DnsQuestion => ({ type: 'CNAME', name: dnsName(record.name) }),
    ),
    ...(mailFrom === undefined
      ? []
      : [
          { type: 'MX', name: mailFrom } satisfies DnsQuestion,
          { type: 'TXT', name: mailFrom } satisfies DnsQuestion,
        ]),
    ...dmarcDomains(domain).map((name): DnsQuestion => ({ type: 'TXT', name: dmarcRecordName(name) })),
    resolverCanary,
  ];
};

const check =
  (status: CheckStatus) =>
  (id: DeliverabilityCheckId, summary: string, fix?: string): DeliverabilityCheck => ({
    id,
    status,
    summary,
    ...(fix === undefined ? {} : { fix }),
  });
const ok = check('ok');
const warn = check('warn');
const fail = check('fail');

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

const sesUnreadable = (reason: Extract<SesReading, { kind: 'unreadable' }>): DeliverabilityCheck => {
  const needs = 'the check needs ses:GetAccount and ses:GetEmailIdentity';
  switch (reason.reason) {
    case 'no-credentials':
      return fail(
        'ses',
        `cannot read SES: no usable AWS credentials (${reason.detail})`,
        `sign in first: set AWS_PROFILE, or run aws sso login or aws configure; ${needs}`,
      );
    case 'no-region':
      return fail(
        'ses',
        'cannot read SES: no AWS region is set',
        "set AWS_REGION to the stack's region, e.g. AWS_REGION=eu-west-1",
      );
    case 'unreachable':
      return fail(
        'ses',
        `cannot reach SES: no network? (${reason.detail})`,
        'check the connection and run the check again',
      );
    case 'access-denied':
      return fail(
        'ses',
        `SES refused to answer these credentials (${reason.detail})`,
        'allow ses:GetAccount and ses:GetEmailIdentity to these credentials',
      );
    case 'failed':
      return fail('ses', `cannot read SES: ${reason.detail}`);
  }
};

const productionAccess = (account: SesAccount, domain: string): DeliverabilityCheck => {
  if (account.ProductionAccessEnabled === true) return ok('production-access', 'SES sends to any address');
  const review = account.Details?.ReviewDetails;
  const caseText = review?.CaseId === undefined ? '' : ` (case ${review.CaseId})`;
  const sandbox = 'the account is in the SES sandbox: it mails only verified addresses';
  if (review?.Status === 'PENDING')
    return fail(
      'production-access',
      `${sandbox}; AWS is reviewing the request for production access${caseText}`,
      'wait for the answer in the AWS Support Center',
    );
  const request = `ask for production access: aws sesv2 put-account-details --production-access-enabled --mail-type MARKETING --website-url https://${domain}, or in the SES console (Account dashboard)`;
  if (review?.Status === 'DENIED')
    return fail(
      'production-access',
      `${sandbox}; AWS denied the request for production access${caseText}`,
      `answer AWS in the Support Center case, then ${request}`,
    );
  return fail('production-access', sandbox, request);
};

const sendingEnabled = (account: SesAccount, region: string): DeliverabilityCheck => {
  if (account.SendingEnabled === true) return ok('sending-enabled', `sending is enabled in ${region}`);
  if (account.SendingEnabled === false)
    return fail(
      'sending-enabled',
      `sending is disabled for the account in ${region}`,
      account.EnforcementStatus === 'SHUTDOWN'
        ? 'SES shut the account down: see the reputation line'
        : 'aws sesv2 put-account-sending-attributes --sending-enabled',
    );
  return warn('sending-enabled', 'SES did not say whether sending is enabled');
};

/** Past this share of the day's quota, the next campaign may run out of it. */
const quotaWarningShare = 0.8;

const sendQuota = (account: SesAccount): DeliverabilityCheck => {
  const quota = account.SendQuota;
  if (quota?.Max24HourSend === undefined || quota.MaxSendRate === undefined)
    return warn('send-quota', 'SES did not give the sending quota');
  const { Max24HourSend: daily, MaxSendRate: rate } = quota;
  const sent = quota.SentLast24Hours ?? 0;
  const summary = `${daily < 0 ? 'no daily limit' : `${count.format(daily)} a day`}, ${count.format(rate)} a second; ${count.format(sent)} sent in the last 24 hours`;
  if (daily > 0 && sent >= quotaWarningShare * daily)
    return warn(
      'send-quota',
      `${summary}: ${Math.round((sent / daily) * 100)}% of the day's quota`,
      'ask for a higher quota before it runs out: Service Quotas console, Amazon Simple Email Service, Sending quota',
    );
  return ok('send-quota', summary);
};

const enforcement = (account: SesAccount): DeliverabilityCheck => {
  const lower =
    'bring the bounce rate under 5% and the complaint rate under 0.1%: suppress bounced addresses, stop mailing contacts who do not engage';
  switch (account.EnforcementStatus) {
    case 'HEALTHY':
      return ok('enforcement', 'HEALTHY: no reputation issue');
    case 'PROBATION':
      return fail(
        'enforcement',
        'PROBATION: SES is reviewing the account for its bounces or complaints',
        `${lower}; the SES console's reputation page says which`,
      );
    case 'SHUTDOWN':
      return fail(
        'enforcement',
        'SHUTDOWN: SES paused sending for the account',
        `${lower}, then ask AWS to resume through the Support Center`,
      );
    default:
      return warn('enforcement', `SES gave the enforcement status ${account.EnforcementStatus ?? '(none)'}`);
  }
};

const identityCheck = (
  domain: string,
  region: string,
  identity: SesEmailIdentity | null,
): DeliverabilityCheck => {
  if (identity === null) {
    const [, ...parentLabels] = domain.split('.');
    // SES sends from the subdomains of a verified domain: the sender may mean that identity.
    const parent =
      parentLabels.length < 2
        ? ''
        : `\nor, to send through ${parentLabels.join('.')}'s identity, check that: --domain ${parentLabels.join('.')}`;
    return fail(
      'identity',
      `SES has no identity ${domain} in ${region}`,
      `deploy the stack with rapport:sesIdentity set to ${domain}, or: aws sesv2 create-email-identity --email-identity ${domain}${parent}`,
    );
  }
  if (identity.VerifiedForSendingStatus === true)
    return ok('identity', `${domain} is verified for sending in ${region}`);
  return fail(
    'identity',
    `${domain} is not verified for sending yet`,
    'publish the DKIM records: SES verifies the domain once it finds them (it looks for up to 72 hours)',
  );
};

const dkimCheck = (domain: string, identity: SesEmailIdentity): DeliverabilityCheck => {
  const dkim = identity.DkimAttributes;
  if (dkim === undefined) return fail('dkim', 'SES gave no DKIM settings for the identity');
  const kind = usesOwnDkimKeys(identity) ? 'your own keys' : 'Easy DKIM';
  const publish = usesOwnDkimKeys(identity)
    ? `publish the public key as TXT at ${dkim.Tokens?.[0] ?? '<selector>'}._domainkey.${domain}`
    : 'publish the DKIM CNAMEs';
  if (dkim.SigningEnabled === false)
    return fail(
      'dkim',
      `DKIM signing is off: mail from ${domain} goes out unsigned`,
      `aws sesv2 put-email-identity-dkim-attributes --email-identity ${domain} --signing-enabled`,
    );
  const again = `${publish}; once they resolve, if SES still does not find them, start DKIM verification again in the SES console (Identities, ${domain}, Authentication)`;
  switch (dkim.Status) {
    case 'SUCCESS': {
      const current = dkim.CurrentSigningKeyLength;
      if (kind === 'Easy DKIM' && current === 'RSA_1024_BIT' && dkim.NextSigningKeyLength !== 'RSA_2048_BIT')
        return warn(
          'dkim',
          'DKIM signs, with a 1024-bit key',
          `aws sesv2 put-email-identity-dkim-signing-attributes --email-identity ${domain} --signing-attributes-origin AWS_SES --signing-attributes NextSigningKeyLength=RSA_2048_BIT`,
        );
      const bits =
        current === 'RSA_2048_BIT'
          ? ', 2048-bit'
          : current === 'RSA_1024_BIT'
            ? ', 1024-bit, 2048-bit from the next key'
            : '';
      return ok('dkim', `DKIM signs mail from ${domain} (${kind}${bits})`);
    }
    case 'PENDING':
      return warn(
        'dkim',
        `SES has not found the DKIM records yet (${kind}); it looks for up to 72 hours`,
        publish,
      );
    case 'TEMPORARY_FAILURE':
      return warn('dkim', 'SES could not check the DKIM records for now; it tries again');
    case 'FAILED':
      return fail('dkim', `SES could not find the DKIM records (${kind}), so it does not sign`, again);
    case 'NOT_STARTED':
      return fail('dkim', `DKIM verification has not started (${kind})`, again);
    default:
      return warn('dkim', `SES gave the DKIM status ${dkim.Status ?? '(none)'}`);
  }
};

const answerTo = (dns: readonly DnsLookup[], question: DnsQuestion): DnsAnswer =>
  dns.find((lookup) => lookup.type === question.type && lookup.name === question.name)?.answer ?? {
    kind: 'failed',
    code: 'not looked up',
  };

const dkimRecordsCheck = (
  domain: string,
  identity: SesEmailIdentity,
  dns: readonly DnsLookup[],
): DeliverabilityCheck[] => {
  // With its own keys the record is a TXT holding a key only its owner knows: SES's status is the check.
  if (usesOwnDkimKeys(identity)) return [];
  const records = dkimRecordsOf(domain, identity);
  if (records.length === 0)
    return [warn('dkim-records', 'SES gave no Easy DKIM tokens, so the CNAMEs cannot be checked')];
  const answered = records.map((record) => ({
    record,
    answer: answerTo(dns, { type: 'CNAME', name: dnsName(record.name) }),
  }));
  if (answered.some(({ answer }) => answer.kind === 'offline')) return [];
  const wrong = answered.filter(
    ({ record, answer }) => !(answer.kind === 'found' && answer.values.includes(dnsName(record.value))),
  );
  if (wrong.length === 0) return [ok('dkim-records', `all ${records.length} DKIM CNAMEs are published`)];
  return [
    fail(
      'dkim-records',
      `${wrong.length} of ${records.length} DKIM CNAMEs missing or wrong`,
      wrong
        .map(({ record, answer }) => {
          const line = dnsRecordLine(record);
          if (answer.kind === 'found') return `change: ${line} (it points to ${answer.values.join(', ')})`;
          if (answer.kind === 'failed') return `check: ${line} (the lookup failed: ${answer.code})`;
          return `add: ${line}`;
        })
        .join('\n'),
    ),
  ];
};

const mailFromRecords = (mailFrom: string, region: string) => ({
  mx: { type: 'MX', name: mailFrom, value: mailFromMxValue(region) } satisfies Omit<DnsRecord, 'purpose'>,
  spf: { type: 'TXT', name: mailFrom, value: mailFromSpfValue } satisfies Omit<DnsRecord, 'purpose'>,
});

const mailFromCheck = (domain: string, region: string, identity: SesEmailIdentity): DeliverabilityCheck => {
  const mailFrom = mailFromOf(identity);
  const suggested = `${defaultMailFromSubdomain}.${domain}`;
  const { mx, spf } = mailFromRecords(suggested, region);
  const setUp = `deploy the stack with rapport:mailFromSubdomain (default ${defaultMailFromSubdomain}), or: aws sesv2 put-email-identity-mail-from-attributes --email-identity ${domain} --mail-from-domain ${suggested} --behavior-on-mx-failure USE_DEFAULT_VALUE\nthen add: ${dnsRecordLine(mx)}\nand add: ${dnsRecordLine(spf)}`;
  if (mailFrom === undefined)
    return fail(
      'mail-from',
      `no custom MAIL FROM domain: bounces go to amazonses.com, so SPF passes for amazonses.com, not ${domain}`,
      setUp,
    );
  if (!mailFrom.endsWith(`.${domain}`))
    return fail(
      'mail-from',
      `the MAIL FROM domain ${mailFrom} is not under ${domain}: SPF cannot align`,
      setUp,
    );
  const attributes = identity.MailFromAttributes;
  const fallback =
    attributes?.BehaviorOnMxFailure === 'REJECT_MESSAGE'
      ? 'SES refuses to send'
      : 'mail goes out with amazonses.com as MAIL FROM';
  const publish = `publish the MX and SPF records of ${mailFrom}`;
  switch (attributes?.MailFromDomainStatus) {
    case 'SUCCESS':
      return ok('mail-from', `MAIL FROM ${mailFrom}: SES found its MX record`);
    case 'PENDING':
      return warn(
        'mail-from',
        `MAIL FROM ${mailFrom}: SES has not found its MX record yet; until then ${fallback}`,
        publish,
      );
    case 'FAILED':
      return fail(
        'mail-from',
        `MAIL FROM ${mailFrom}: SES cannot find its MX record, so ${fallback}`,
        publish,
      );
    case 'TEMPORARY_FAILURE':
      return warn(
        'mail-from',
        `MAIL FROM ${mailFrom}: SES could not check its MX record for now; it tries again`,
      );
    default:
      return warn(
        'mail-from',
        `MAIL FROM ${mailFrom}: SES gave the status ${attributes?.MailFromDomainStatus ?? '(none)'}`,
      );
  }
};

const exchangeOf = (mx: string): string => dnsName(mx.slice(mx.indexOf(' ') + 1));

const mailFromMxCheck = (mailFrom: string, region: string, answer: DnsAnswer): DeliverabilityCheck[] => {
  const { mx } = mailFromRecords(mailFrom, region);
  const line = dnsRecordLine(mx);
  const expected = exchangeOf(mx.value);
  switch (answer.kind) {
    case 'offline':
      return [];
    case 'failed':
      return [fail('mail-from-mx', `cannot tell: the MX lookup of ${mailFrom} failed (${answer.code})`)];
    case 'missing':
      return [fail('mail-from-mx', `no MX record at ${mailFrom}`, `add: ${line}`)];
    case 'found': {
      const others = answer.values.filter((value) => exchangeOf(value) !== expected);
      if (others.length === answer.values.length)
        return [
          fail(
            'mail-from-mx',
            `the MX of ${mailFrom} is ${others.join(', ')}, not SES's in ${region}`,
            `change it to: ${line}`,
          ),
        ];
      if (others.length > 0)
        return [
          warn(
            'mail-from-mx',
            `${mailFrom} has other MX records too (${others.join(', ')}): bounces may go there instead of to SES`,
            `keep only: ${line}`,
          ),
        ];
      return [ok('mail-from-mx', `${mailFrom} receives bounces for SES: MX ${mx.value}`)];
    }
  }
};

const isSpfText = (text: string): boolean => /^v=spf1(\s|$)/i.test(text.trim());

const mailFromSpfCheck = (mailFrom: string, region: string, answer: DnsAnswer): DeliverabilityCheck[] => {
  const { spf } = mailFromRecords(mailFrom, region);
  const line = dnsRecordLine(spf);
  if (answer.kind === 'offline') return [];
  if (answer.kind === 'failed')
    return [fail('mail-from-spf', `cannot tell: the TXT lookup of ${mailFrom} failed (${answer.code})`)];
  const records = answer.kind === 'found' ? answer.values.filter(isSpfText) : [];
  const [record, ...more] = records;
  if (record === undefined) return [fail('mail-from-spf', `no SPF record at ${mailFrom}`, `add: ${line}`)];
  if (more.length > 0)
    return [
      fail(
        'mail-from-spf',
        `${records.length} SPF records at ${mailFrom}: receivers treat that as an error`,
        `keep one: ${line}`,
      ),
    ];
  if (!/(^|\s)[+]?include:amazonses\.com(\s|$)/i.test(record)) {
    const merged = record.trim().replace(/^v=spf1/i, 'v=spf1 include:amazonses.com');
    return [
      fail(
        'mail-from-spf',
        `the SPF record at ${mailFrom} does not include amazonses.com: "${record}"`,
        `change it to: ${dnsRecordLine({ ...spf, value: merged })}`,
      ),
    ];
  }
  return [ok('mail-from-spf', `the SPF record at ${mailFrom} includes amazonses.com`)];
};

/** The DMARC record that applies to the domain: its own, or else the nearest parent's. */
type DmarcFound =
  | { kind: 'record'; name: string; texts: string[] }
  | { kind: 'none' }
  | { kind: 'unknown'; check?: DeliverabilityCheck };

const findDmarc = (domain: string, dns: readonly DnsLookup[]): DmarcFound => {
  for (const name of dmarcDomains(domain).map(dmarcRecordName)) {
    const answer = answerTo(dns, { type: 'TXT', name });
    if (answer.kind === 'offline') return { kind: 'unknown' };
    if (answer.kind === 'failed')
      return {
        kind: 'unknown',
        check: fail('dmarc', `cannot tell: the TXT lookup of ${name} failed (${answer.code})`),
      };
    const texts = answer.kind === 'found' ? answer.values.filter(isDmarcText) : [];
    if (texts.length > 0) return { kind: 'record', name, texts };
  }
  return { kind: 'none' };
};

const dmarcCheck = (
  domain: string,
  found: DmarcFound,
): { check?: DeliverabilityCheck; record?: DmarcRecord } => {
  const own = dmarcRecordName(domain);
  const suggested = dnsRecordLine({
    type: 'TXT',
    name: own,
    value: dmarcValue('none', defaultDmarcReportEmail(domain)),
  });
  if (found.kind === 'unknown') return found.check === undefined ? {} : { check: found.check };
  if (found.kind === 'none')
    return {
      check: fail(
        'dmarc',
        `no DMARC record at ${own}`,
        `add: ${suggested}\n${dmarcTightening(domain, 'none')}`,
      ),
    };
  const [text, ...more] = found.texts;
  if (text === undefined || more.length > 0)
    return {
      check: fail(
        'dmarc',
        `${found.texts.length} DMARC records at ${found.name}: receivers ignore them all`,
        `keep one: ${suggested}`,
      ),
    };
  const parsed = parseDmarcRecord(text);
  if (!parsed.ok)
    return {
      check: fail(
        'dmarc',
        `the DMARC record at ${found.name} ${parsed.problem}, so receivers ignore it: "${text}"`,
        `change it to: ${suggested}`,
      ),
    };
  const { record } = parsed;
  const inherited = found.name !== own;
  const bySubdomainTag = inherited && record.subdomainPolicy !== undefined;
  const policy = bySubdomainTag ? (record.subdomainPolicy ?? record.policy) : record.policy;
  const where = inherited ? `${found.name} applies to ${domain}` : `${own} is published`;
  const share = record.pct < 100 ? `, on ${record.pct}% of failing mail` : '';
  const summary = `${where}: ${bySubdomainTag ? 'sp' : 'p'}=${policy}${share}`;
  if (policy === 'none' && record.reportTo.length === 0)
    return {
      record,
      check: warn(
        'dmarc',
        `${summary}, and no rua= address, so no one reads what receivers report`,
        `change it to: ${suggested}`,
      ),
    };
  if (policy === 'none') {
    const [firstReport = ''] = record.reportTo;
    const reportEmail = /^mailto:/i.test(firstReport) ? firstReport.replace(/^mailto:/i, '') : undefined;
    return {
      record,
      check: warn(
        'dmarc',
        `${summary}: receivers only report, they do not act`,
        dmarcTightening(found.name.replace(/^_dmarc\./, ''), 'none', reportEmail),
      ),
    };
  }
  return { record, check: ok('dmarc', summary) };
};

/**
 * DMARC passes when SPF or DKIM passes for a domain aligned with the From domain.
 * Easy DKIM signs as the identity's domain, which is the From domain; SPF passes for
 * the MAIL FROM domain, which aligns only relaxed (it is a subdomain).
 */
const alignmentCheck = (
  domain: string,
  identity: SesEmailIdentity,
  record: DmarcRecord | undefined,
): DeliverabilityCheck => {
  const adkim = record?.adkim ?? 'r';
  const aspf = record?.aspf ?? 'r';
  const modes = `adkim=${adkim}, aspf=${aspf}${record === undefined ? ', the defaults' : ''}`;
  const dkim = identity.DkimAttributes;
  // Easy DKIM signs as the identity, the From domain itself: aligned in either mode once it passes.
  const dkimAligned = dkim?.SigningEnabled !== false && dkim?.Status === 'SUCCESS';
  const mailFrom = mailFromOf(identity);
  const spfPasses = mailFrom !== undefined && identity.MailFromAttributes?.MailFromDomainStatus === 'SUCCESS';
  const spfAligned = spfPasses && aligns(mailFrom, domain, aspf);
  const spfWhy =
    mailFrom === undefined
      ? 'SPF passes for amazonses.com (no custom MAIL FROM)'
      : !spfPasses
        ? `SPF does not pass for ${mailFrom} yet (see MAIL FROM)`
        : `aspf=s asks for ${domain} exactly, and the MAIL FROM is ${mailFrom}`;
  const spfFix =
    mailFrom === undefined
      ? 'set up the custom MAIL FROM domain (see MAIL FROM)'
      : !spfPasses
        ? `publish the MX and SPF records of ${mailFrom}`
        : 'relax SPF alignment: aspf=r in the DMARC record';
  const dkimWhy = 'DKIM does not pass yet (see DKIM)';
  if (dkimAligned && spfAligned)
    return ok(
      'dmarc-alignment',
      `DKIM (d=${domain}) and SPF (${mailFrom ?? ''}) both align with ${domain} (${modes})`,
    );
  if (dkimAligned)
    return warn(
      'dmarc-alignment',
      `only DKIM aligns, which is enough for DMARC: ${spfWhy} (${modes})`,
      spfFix,
    );
  if (spfAligned)
    return warn(
      'dmarc-alignment',
      `only SPF aligns, which is enough for DMARC: ${dkimWhy} (${modes})`,
      'publish the DKIM CNAMEs',
    );
  return fail(
    'dmarc-alignment',
    `neither DKIM nor SPF aligns with ${domain}, so its mail fails DMARC: ${dkimWhy}; ${spfWhy} (${modes})`,
    `publish the DKIM CNAMEs; ${spfFix}`,
  );
};

const identityChecks = (
  domain: string,
  region: string,
  identity: SesEmailIdentity,
  dns: readonly DnsLookup[],
): DeliverabilityCheck[] => {
  const mailFrom = mailFromOf(identity);
  return [
    dkimCheck(domain, identity),
    ...dkimRecordsCheck(domain, identity, dns),
    mailFromCheck(domain, region, identity),
    ...(mailFrom === undefined || !mailFrom.endsWith(`.${domain}`)
      ? []
      : [
          ...mailFromMxCheck(mailFrom, region, answerTo(dns, { type: 'MX', name: mailFrom })),
          ...mailFromSpfCheck(mailFrom, region, answerTo(dns, { type: 'TXT', name: mailFrom })),
        ]),
  ];
};

export interface DeliverabilityInput {
  /** The From domain, as parseSenderDomain gives it. */
  domain: string;
  ses: SesReading;
  /** The answers to dnsQuestions(domain, ses). */
  dns: readonly DnsLookup[];
}

/**
 * Line by line, what is right and what is missing, with the record or command that
 * fixes it. What could not be reached is said once, first, and the lines that needed
 * it are left out rather than reported as missing.
 */
export const deliverabilityChecks = ({
  domain,
  ses,
  dns: answers,
}: DeliverabilityInput): DeliverabilityCheckReport => {
  const blind = answerTo(answers, resolverCanary).kind === 'missing';
  const dns: readonly DnsLookup[] = blind
    ? answers.map((lookup) => ({ ...lookup, answer: { kind: 'offline', code: 'ENOTFOUND' } }))
    : answers;
  const offline = dns.find((lookup) => lookup.answer.kind === 'offline');
  const offlineCode = offline?.answer.kind === 'offline' ? offline.answer.code : '';
  const dmarc = findDmarc(domain, dns);
  const { check: dmarcLine, record } = dmarcCheck(domain, dmarc);
  const identity = ses.kind === 'read' ? ses.identity : null;
  const checks: DeliverabilityCheck[] = [
    ...(offline === undefined
      ? []
      : [
          fail(
            'dns',
            blind
              ? `DNS says ${resolverCanary.name} does not exist, so none of its answers can be trusted: a filtered network, or no network?`
              : `cannot reach DNS: looking up ${offline.name} failed (${offlineCode}); no network?`,
            'check the connection, or the resolver the system uses, and run the check again',
          ),
        ]),
    ...(ses.kind === 'unreadable'
      ? [sesUnreadable(ses)]
      : [
          productionAccess(ses.account, domain),
          sendingEnabled(ses.account, ses.region),
          sendQuota(ses.account),
          enforcement(ses.account),
          identityCheck(domain, ses.region, ses.identity),
          ...(ses.identity === null ? [] : identityChecks(domain, ses.region, ses.identity, dns)),
        ]),
    ...(dmarcLine === undefined ? [] : [dmarcLine]),
    ...(identity === null || dmarc.kind === 'unknown' ? [] : [alignmentCheck(domain, identity, record)]),
  ];
  const unreachable: DeliverabilityCheckReport['unreachable'] = [];
  if (offline !== undefined) unreachable.push('dns');
  if (ses.kind === 'unreadable' && ses.reason === 'unreachable') unreachable.push('ses');
  return { domain, region: ses.kind === 'read' ? ses.region : null, unreachable, checks };
};

import { z } from 'zod';

/**
 * The DNS records a sending domain needs so that SPF, DKIM and DMARC all pass
 * and align with the From domain: Easy DKIM's three CNAMEs, the custom MAIL FROM
 * domain's MX and SPF TXT, and a DMARC TXT. Built from plain strings, so the CDK
 * stack (whose region and DKIM names are CloudFormation tokens) and the
 * deliverability check (with SES's answers) expect the very same values.
 */

export const DnsRecordType = z.enum(['CNAME', 'MX', 'TXT']);
export type DnsRecordType = z.infer<typeof DnsRecordType>;

export const SenderDnsPurpose = z.enum(['dkim', 'mail-from-mx', 'mail-from-spf', 'dmarc']);
export type SenderDnsPurpose = z.infer<typeof SenderDnsPurpose>;

export const DnsRecord = z.object({
  type: DnsRecordType,
  /** Fully qualified, without the trailing dot. */
  name: z.string().min(1),
  /** As a zone file holds it, but unquoted: `10 feedback-smtp.…` for MX, the text itself for TXT. */
  value: z.string().min(1),
  purpose: SenderDnsPurpose,
});
export type DnsRecord = z.infer<typeof DnsRecord>;

/** p=none only reports; quarantine sends failing mail to spam; reject refuses it. */
export const DmarcPolicy = z.enum(['none', 'quarantine', 'reject']);
export type DmarcPolicy = z.infer<typeof DmarcPolicy>;

export const defaultMailFromSubdomain = 'bounce';

/**
 * The MAIL FROM subdomain is one label under the sending domain (SES requires a
 * subdomain of the identity): `bounce` gives `bounce.example.com`.
 */
export const MailFromSubdomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be one DNS label such as bounce: letters, digits and inner hyphens, at most 63 characters',
  );
export type MailFromSubdomain = z.infer<typeof MailFromSubdomain>;

/** Where Easy DKIM's CNAMEs point in most regions; SES names the zone of its region (`SigningHostedZone`). */
export const defaultDkimSigningZone = 'dkim.amazonses.com';

/** SPF on the MAIL FROM domain: only SES sends as it, and `~all` soft-fails anything else. */
export const mailFromSpfValue = 'v=spf1 include:amazonses.com ~all';

export const mailFromDomainOf = (domain: string, mailFromSubdomain: string): string =>
  `${mailFromSubdomain}.${domain}`;

/** SES receives the bounces addressed to the MAIL FROM domain at its region's feedback endpoint. */
export const mailFromMxValue = (region: string): string => `10 feedback-smtp.${region}.amazonses.com`;

export const dmarcRecordName = (domain: string): string => `_dmarc.${domain}`;

export const defaultDmarcReportEmail = (domain: string): string => `dmarc-reports@${domain}`;

/**
 * Relaxed alignment (adkim=r, aspf=r): DKIM signs as the domain and the MAIL FROM
 * is its subdomain, so both align with a From address on the domain.
 */
export const dmarcValue = (policy: DmarcPolicy, reportEmail: string): string =>
  `v=DMARC1; p=${policy}; rua=mailto:${reportEmail}; adkim=r; aspf=r`;

/** The CNAMEs Easy DKIM verifies, from the tokens SES gives the identity (`DkimAttributes.Tokens`). */
export const easyDkimRecords = (
  domain: string,
  tokens: readonly string[],
  signingHostedZone: string = defaultDkimSigningZone,
): DnsRecord[] =>
  tokens.map((token) => ({
    type: 'CNAME',
    name: `${token}._domainkey.${domain}`,
    value: `${token}.${signingHostedZone}`,
    purpose: 'dkim',
  }));

export interface SenderDomain {
  domain: string;
  mailFromSubdomain: string;
  /** The SES region: the MAIL FROM MX points at its feedback endpoint. */
  region: string;
  /** Easy DKIM's CNAMEs (see easyDkimRecords), or the identity's own names and values. */
  dkim: ReadonlyArray<Pick<DnsRecord, 'name' | 'value'>>;
  dmarcPolicy: DmarcPolicy;
  /** Where aggregate DMARC reports go; default dmarc-reports@<domain>. */
  dmarcReportEmail?: string;
}

/** Every record the domain needs, DKIM first, in the order a person adds them. */
export const senderDnsRecords = (sender: SenderDomain): DnsRecord[] => {
  const mailFrom = mailFromDomainOf(sender.domain, sender.mailFromSubdomain);
  return [
    ...sender.dkim.map(({ name, value }): DnsRecord => ({ type: 'CNAME', name, value, purpose: 'dkim' })),
    { type: 'MX', name: mailFrom, value: mailFromMxValue(sender.region), purpose: 'mail-from-mx' },
    { type: 'TXT', name: mailFrom, value: mailFromSpfValue, purpose: 'mail-from-spf' },
    {
      type: 'TXT',
      name: dmarcRecordName(sender.domain),
      value: dmarcValue(
        sender.dmarcPolicy,
        sender.dmarcReportEmail ?? defaultDmarcReportEmail(sender.domain),
      ),
      purpose: 'dmarc',
    },
  ];
};

/** One record as a line to read or paste: `TYPE name value`, TXT values quoted. */
export const dnsRecordLine = (record: Pick<DnsRecord, 'type' | 'name' | 'value'>): string =>
  `${record.type} ${record.name} ${record.type === 'TXT' ? `"${record.value}"` : record.value}`;

const nextPolicy: Readonly<Record<DmarcPolicy, DmarcPolicy | undefined>> = {
  none: 'quarantine',
  quarantine: 'reject',
  reject: undefined,
};

/**
 * What to do after the current DMARC policy: watch the reports until only your
 * own mail appears and passes, then move one step (none → quarantine → reject).
 */
export const dmarcTightening = (domain: string, policy: DmarcPolicy, reportEmail?: string): string => {
  const next = nextPolicy[policy];
  if (next === undefined)
    return `${dmarcRecordName(domain)} is at p=reject, the strictest policy: mail failing DMARC is refused.`;
  const reports = reportEmail ?? defaultDmarcReportEmail(domain);
  return `Read the reports sent to ${reports} for a few weeks. Once every source that sends as ${domain} passes SPF or DKIM aligned, change the policy to p=${next}: ${dnsRecordLine({ type: 'TXT', name: dmarcRecordName(domain), value: dmarcValue(next, reports) })}${next === 'quarantine' ? ', and later to p=reject.' : '.'}`;
};

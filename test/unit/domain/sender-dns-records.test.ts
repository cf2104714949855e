import { describe, expect, it } from 'vitest';
import {
  DnsRecord,
  dmarcTightening,
  dmarcValue,
  dnsRecordLine,
  easyDkimRecords,
  MailFromSubdomain,
  senderDnsRecords,
} from '../../../lib/domain/sender-dns-records.js';

const dkim = easyDkimRecords('example.com', ['tok1', 'tok2', 'tok3']);

describe('the DNS records a sending domain needs', () => {
  const records = senderDnsRecords({
    domain: 'example.com',
    mailFromSubdomain: 'bounce',
    region: 'eu-west-1',
    dkim,
    dmarcPolicy: 'none',
  });

  it('lists the three DKIM CNAMEs, the MAIL FROM MX and SPF, and DMARC, in that order', () => {
    expect(records.map(dnsRecordLine)).toEqual([
      'CNAME tok1._domainkey.example.com tok1.dkim.amazonses.com',
      'CNAME tok2._domainkey.example.com tok2.dkim.amazonses.com',
      'CNAME tok3._domainkey.example.com tok3.dkim.amazonses.com',
      'MX bounce.example.com 10 feedback-smtp.eu-west-1.amazonses.com',
      'TXT bounce.example.com "v=spf1 include:amazonses.com ~all"',
      'TXT _dmarc.example.com "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com; adkim=r; aspf=r"',
    ]);
  });

  it('says what each record is for, in the record’s own schema', () => {
    expect(records.map((record) => DnsRecord.parse(record).purpose)).toEqual([
      'dkim',
      'dkim',
      'dkim',
      'mail-from-mx',
      'mail-from-spf',
      'dmarc',
    ]);
  });

  it('sends DMARC reports to the address given, under the policy given', () => {
    const [dmarc] = senderDnsRecords({
      domain: 'mail.example.com',
      mailFromSubdomain: 'bounce',
      region: 'us-east-1',
      dkim: [],
      dmarcPolicy: 'quarantine',
      dmarcReportEmail: 'reports@dmarc.example.net',
    }).filter((record) => record.purpose === 'dmarc');

    expect(dmarc).toEqual({
      type: 'TXT',
      name: '_dmarc.mail.example.com',
      value: 'v=DMARC1; p=quarantine; rua=mailto:reports@dmarc.example.net; adkim=r; aspf=r',
      purpose: 'dmarc',
    });
  });
});

describe('when SES signs from a regional DKIM zone', () => {
  it('points the CNAMEs at that zone', () => {
    expect(easyDkimRecords('example.com', ['abc'], 'dkim.af-south-1.amazonses.com')).toEqual([
      {
        type: 'CNAME',
        name: 'abc._domainkey.example.com',
        value: 'abc.dkim.af-south-1.amazonses.com',
        purpose: 'dkim',
      },
    ]);
  });
});

describe('tightening DMARC', () => {
  it('goes from none to quarantine, naming the next record and the step after it', () => {
    const advice = dmarcTightening('example.com', 'none');

    expect(advice).toContain('dmarc-reports@example.com');
    expect(advice).toContain(
      `TXT _dmarc.example.com "${dmarcValue('quarantine', 'dmarc-reports@example.com')}"`,
    );
    expect(advice).toContain('later to p=reject');
  });

  it('goes from quarantine to reject', () => {
    expect(dmarcTightening('example.com', 'quarantine', 'ops@example.com')).toContain(
      `"${dmarcValue('reject', 'ops@example.com')}"`,
    );
  });

  it('says reject is as strict as it gets', () => {
    expect(dmarcTightening('example.com', 'reject')).toMatch(/p=reject, the strictest policy/);
  });
});

describe('the MAIL FROM subdomain', () => {
  it('takes one DNS label, lower-cased', () => {
    expect(MailFromSubdomain.parse(' Bounce-1 ')).toBe('bounce-1');
  });

  it.each([
    ['a dotted name', 'mail.bounce'],
    ['a leading hyphen', '-bounce'],
    ['an underscore', 'bounce_1'],
    ['nothing', ''],
    ['a label longer than 63 characters', 'b'.repeat(64)],
  ])('refuses %s, saying it must be one label', (_what, value) => {
    const result = MailFromSubdomain.safeParse(value);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/must be one DNS label/);
  });
});

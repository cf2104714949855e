import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import {
  type DmarcPolicy,
  type DnsRecord,
  dmarcTightening,
  dnsRecordLine,
  mailFromDomainOf,
  type SenderDnsPurpose,
  senderDnsRecords,
} from '../../../lib/domain/sender-dns-records.js';

export interface SenderDnsProps {
  /** The identity when it is a domain the stack manages; its DKIM tokens name the CNAMEs. */
  domainIdentity: ses.EmailIdentity | undefined;
  /** `rapport:sesIdentity` as configured: a domain, an address, or none (an identity verified outside the stack). */
  sesIdentity: string | undefined;
  senderAddress: string;
  mailFromSubdomain: string;
  dmarcPolicy: DmarcPolicy;
  dmarcReportEmail: string | undefined;
  /** A Route 53 public zone holding the domain: the stack then writes the records itself. */
  hostedZone: { id: string; name: string } | undefined;
}

/** Output ids sort together and in order (`SenderDnsRecord1Dkim`, …); the words say what each is for. */
const purposeWords: Readonly<Record<SenderDnsPurpose, { id: string; description: string }>> = {
  dkim: {
    id: 'Dkim',
    description: 'Easy DKIM (2048-bit): SES signs as the domain once this CNAME resolves.',
  },
  'mail-from-mx': {
    id: 'MailFromMx',
    description: 'The custom MAIL FROM domain: bounces come back to SES through it, and SPF aligns.',
  },
  'mail-from-spf': { id: 'MailFromSpf', description: 'SPF for the MAIL FROM domain: SES may send as it.' },
  dmarc: {
    id: 'Dmarc',
    description: 'DMARC: a policy for mail failing SPF and DKIM alignment, and where reports go.',
  },
};

/** Route 53 takes TXT data quoted, in strings of at most 255 characters. */
const txtData = (value: string): string =>
  (value.match(/.{1,255}/g) ?? ['']).map((chunk) => `"${chunk.replace(/["\\]/g, '\\$&')}"`).join(' ');

/**
 * The DNS records the sending domain needs, as stack outputs that read as one list
 * (`TYPE name value`), and with a Route 53 zone, the records themselves. For an
 * address identity or one verified outside the stack, an output says what to do.
 */
export class SenderDns extends Construct {
  constructor(scope: Construct, id: string, props: SenderDnsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const senderDomain = props.senderAddress.slice(props.senderAddress.lastIndexOf('@') + 1);
    const domain = (
      props.domainIdentity === undefined ? senderDomain : (props.sesIdentity ?? senderDomain)
    ).toLowerCase();
    const addressIdentity = props.sesIdentity?.includes('@') === true;

    const records: readonly DnsRecord[] = addressIdentity
      ? []
      : senderDnsRecords({
          domain,
          mailFromSubdomain: props.mailFromSubdomain,
          region: stack.region,
          dkim: props.domainIdentity?.dkimRecords ?? [],
          dmarcPolicy: props.dmarcPolicy,
          ...(props.dmarcReportEmail === undefined ? {} : { dmarcReportEmail: props.dmarcReportEmail }),
        });

    const counts = new Map<SenderDnsPurpose, number>();
    records.forEach((record, index) => {
      const count = (counts.get(record.purpose) ?? 0) + 1;
      counts.set(record.purpose, count);
      const words = purposeWords[record.purpose];
      const suffix = record.purpose === 'dkim' ? String(count) : '';
      new CfnOutput(stack, `SenderDnsRecord${index + 1}${words.id}${suffix}`, {
        value: dnsRecordLine(record),
        description: words.description,
      });
      if (props.hostedZone !== undefined) {
        new route53.CfnRecordSet(this, `${words.id}${suffix}`, {
          hostedZoneId: props.hostedZone.id,
          name: record.name,
          type: record.type,
          ttl: '1800',
          resourceRecords: [record.type === 'TXT' ? txtData(record.value) : record.value],
        });
      }
    });

    if (!addressIdentity) {
      new CfnOutput(stack, 'SenderDnsTighten', {
        value: dmarcTightening(domain, props.dmarcPolicy, props.dmarcReportEmail),
        description: 'How to tighten the DMARC policy once the reports show only your own mail.',
      });
    }
    new CfnOutput(stack, 'SenderDnsNote', {
      value: this.note(props, domain, addressIdentity),
      description: 'Where the sending domain’s DNS records go.',
    });
  }

  private note(props: SenderDnsProps, domain: string, addressIdentity: boolean): string {
    const mailFrom = mailFromDomainOf(domain, props.mailFromSubdomain);
    if (addressIdentity)
      return `The SES identity ${props.sesIdentity} is an address: SES verifies it by the link it mails there, and it cannot sign with DKIM or send with a MAIL FROM domain of its own. For SPF and DKIM aligned with the From domain, set rapport:sesIdentity to the domain (${domain}) and add the DNS records the stack then lists.`;
    if (props.domainIdentity === undefined)
      return `The stack sends from ${domain}, an SES identity it does not manage: in the SES console give it Easy DKIM (2048-bit) and the custom MAIL FROM domain ${mailFrom} (behaviour on MX failure: use the default), then add its DKIM CNAMEs and the records listed here. Or set rapport:sesIdentity=${domain} for the stack to manage it. npx rapport deliverability check says what is still missing.`;
    if (props.hostedZone !== undefined)
      return `The stack writes the records listed here into the Route 53 zone ${props.hostedZone.name} (${props.hostedZone.id}); SES verifies DKIM and the MAIL FROM domain within hours. npx rapport deliverability check says what is still missing.`;
    return `Add the records listed here to the DNS of ${domain}; SES verifies DKIM and the MAIL FROM domain within hours of them resolving. Until the MX resolves, SES sends with its own MAIL FROM. npx rapport deliverability check says what is still missing.`;
  }
}

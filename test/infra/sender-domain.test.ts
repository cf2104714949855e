import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { resourcesOfType, synthRapport } from './synth-rapport.js';

const Outputs = z.object({
  Outputs: z.record(z.string(), z.object({ Value: z.unknown(), Description: z.string().optional() })),
});

/** The stack's outputs that list the sending domain's DNS, by output id. */
const senderDnsOutputs = (template: Template): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(Outputs.parse(template.toJSON()).Outputs)
      .filter(([id]) => id.startsWith('SenderDns'))
      .map(([id, output]) => [id, output.Value]),
  );

const identityOf = (template: Template) => {
  const identities = resourcesOfType(template, 'AWS::SES::EmailIdentity');
  expect(identities).toHaveLength(1);
  const [entry] = identities;
  if (entry === undefined) throw new Error('no identity');
  return { id: entry[0], properties: entry[1].Properties };
};

/** A CNAME output built from the identity's own DKIM token attributes. */
const dkimLine = (identityId: string, index: number) => ({
  'Fn::Join': [
    '',
    [
      'CNAME ',
      { 'Fn::GetAtt': [identityId, `DkimDNSTokenName${index}`] },
      ' ',
      { 'Fn::GetAtt': [identityId, `DkimDNSTokenValue${index}`] },
    ],
  ],
});

describe('when the stack manages a domain identity', () => {
  let template: Template;

  beforeAll(() => {
    template = synthRapport().template;
  });

  it('signs with Easy DKIM 2048-bit keys and sends from the bounce MAIL FROM subdomain', () => {
    expect(identityOf(template).properties).toMatchObject({
      EmailIdentity: 'example.com',
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      MailFromAttributes: { MailFromDomain: 'bounce.example.com', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
  });

  it('outputs every record the domain needs as one list, in the order the ids sort', () => {
    const { id } = identityOf(template);
    const outputs = senderDnsOutputs(template);
    const records = Object.keys(outputs)
      .filter((key) => key.startsWith('SenderDnsRecord'))
      .sort();

    expect(records.map((key) => outputs[key])).toEqual([
      dkimLine(id, 1),
      dkimLine(id, 2),
      dkimLine(id, 3),
      {
        'Fn::Join': [
          '',
          ['MX bounce.example.com 10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com'],
        ],
      },
      'TXT bounce.example.com "v=spf1 include:amazonses.com ~all"',
      'TXT _dmarc.example.com "v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com; adkim=r; aspf=r"',
    ]);
  });

  it('says how to tighten DMARC and where the records go', () => {
    const outputs = senderDnsOutputs(template);

    expect(outputs.SenderDnsTighten).toMatch(/change the policy to p=quarantine/);
    expect(outputs.SenderDnsNote).toMatch(/^Add the records listed here to the DNS of example\.com/);
  });

  it('writes no DNS records without a hosted zone', () => {
    expect(resourcesOfType(template, 'AWS::Route53::RecordSet')).toEqual([]);
  });
});

describe('when rapport:hostedZoneId names the zone holding the domain', () => {
  let template: Template;

  beforeAll(() => {
    template = synthRapport({
      context: {
        'rapport:senderEmail': 'News <news@mail.example.com>',
        'rapport:sesIdentity': 'mail.example.com',
        'rapport:hostedZoneId': 'Z0123456789ABCDEFGHIJ',
        'rapport:hostedZoneName': 'example.com',
        'rapport:mailFromSubdomain': 'return',
        'rapport:dmarcReportEmail': 'dmarc@example.com',
        'rapport:dmarcPolicy': 'quarantine',
      },
    }).template;
  });

  it('creates the DKIM CNAMEs, the MAIL FROM MX and SPF, and DMARC in that zone', () => {
    const { id } = identityOf(template);
    const records = resourcesOfType(template, 'AWS::Route53::RecordSet').map(([, record]) => ({
      ...record.Properties,
    }));
    const inZone = { HostedZoneId: 'Z0123456789ABCDEFGHIJ', TTL: '1800' };

    expect(records).toEqual(
      expect.arrayContaining([
        ...[1, 2, 3].map((index) => ({
          ...inZone,
          Type: 'CNAME',
          Name: { 'Fn::GetAtt': [id, `DkimDNSTokenName${index}`] },
          ResourceRecords: [{ 'Fn::GetAtt': [id, `DkimDNSTokenValue${index}`] }],
        })),
        {
          ...inZone,
          Type: 'MX',
          Name: 'return.mail.example.com',
          ResourceRecords: [
            { 'Fn::Join': ['', ['10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com']] },
          ],
        },
        {
          ...inZone,
          Type: 'TXT',
          Name: 'return.mail.example.com',
          ResourceRecords: ['"v=spf1 include:amazonses.com ~all"'],
        },
        {
          ...inZone,
          Type: 'TXT',
          Name: '_dmarc.mail.example.com',
          ResourceRecords: ['"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com; adkim=r; aspf=r"'],
        },
      ]),
    );
    expect(records).toHaveLength(6);
  });

  it('uses the configured MAIL FROM subdomain on the identity', () => {
    expect(identityOf(template).properties).toMatchObject({
      EmailIdentity: 'mail.example.com',
      MailFromAttributes: { MailFromDomain: 'return.mail.example.com' },
    });
  });

  it('says the stack writes the records, and that the next step is p=reject', () => {
    const outputs = senderDnsOutputs(template);

    expect(outputs.SenderDnsNote).toMatch(
      /writes the records listed here into the Route 53 zone example\.com/,
    );
    expect(outputs.SenderDnsTighten).toMatch(/p=reject/);
  });
});

describe('when the SES identity is an address', () => {
  let template: Template;

  beforeAll(() => {
    template = synthRapport({ context: { 'rapport:sesIdentity': 'hello@example.com' } }).template;
  });

  it('creates the address identity without DKIM or MAIL FROM settings it cannot have', () => {
    const { properties } = identityOf(template);

    expect(properties.EmailIdentity).toBe('hello@example.com');
    expect(properties.MailFromAttributes).toBeUndefined();
    expect(properties.DkimSigningAttributes).toBeUndefined();
  });

  it('lists no records, and says to make the domain the identity instead', () => {
    const outputs = senderDnsOutputs(template);

    expect(Object.keys(outputs)).toEqual(['SenderDnsNote']);
    expect(outputs.SenderDnsNote).toMatch(/set rapport:sesIdentity to the domain \(example\.com\)/);
  });
});

describe('when the identity was verified outside the stack', () => {
  let template: Template;

  beforeAll(() => {
    template = synthRapport({ context: { 'rapport:sesIdentity': '' } }).template;
  });

  it('says what to set on it in SES, and lists the records that do not depend on its DKIM keys', () => {
    const outputs = senderDnsOutputs(template);

    expect(outputs.SenderDnsNote).toMatch(
      /example\.com, an SES identity it does not manage: .*Easy DKIM \(2048-bit\) and the custom MAIL FROM domain bounce\.example\.com/,
    );
    expect(
      Object.keys(outputs)
        .filter((key) => key.startsWith('SenderDnsRecord'))
        .sort(),
    ).toEqual(['SenderDnsRecord1MailFromMx', 'SenderDnsRecord2MailFromSpf', 'SenderDnsRecord3Dmarc']);
  });
});

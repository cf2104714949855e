import {
  type DeliverabilityCheckReport,
  deliverabilityChecks,
  dnsQuestions,
} from '../domain/deliverability-check.js';
import {
  type DnsAnswer,
  type DnsLookup,
  type DnsQuestion,
  dnsErrorAnswer,
  dnsName,
} from '../domain/dns-answer.js';
import { isRecord } from '../domain/is-record.js';
import type { DnsResolver } from '../ports/dns-resolver.js';
import type { SesAccountReader } from '../ports/ses-account-reader.js';

export interface CheckDeliverabilityDeps {
  ses: SesAccountReader;
  dns: DnsResolver;
}

const found = (values: string[]): DnsAnswer =>
  values.length === 0 ? { kind: 'missing' } : { kind: 'found', values };

const lookUp = async (dns: DnsResolver, question: DnsQuestion): Promise<DnsAnswer> => {
  try {
    switch (question.type) {
      case 'CNAME':
        return found((await dns.resolveCname(question.name)).map(dnsName));
      case 'MX':
        return found(
          (await dns.resolveMx(question.name)).map((mx) => `${mx.priority} ${dnsName(mx.exchange)}`),
        );
      case 'TXT':
        // A long TXT record comes in strings of at most 255 characters: its text is them joined.
        return found((await dns.resolveTxt(question.name)).map((strings) => strings.join('')));
    }
  } catch (error) {
    if (isRecord(error) && typeof error.code === 'string') return dnsErrorAnswer(error.code);
    return { kind: 'failed', code: error instanceof Error ? error.message : String(error) };
  }
};

/**
 * Reads SES first (it says which DKIM tokens and MAIL FROM domain to look up), then
 * asks DNS everything at once, then judges. Nothing here throws for the network:
 * what could not be reached is in the report.
 */
export const checkDeliverability = async (
  deps: CheckDeliverabilityDeps,
  domain: string,
): Promise<DeliverabilityCheckReport> => {
  const ses = await deps.ses.read(domain);
  const dns = await Promise.all(
    dnsQuestions(domain, ses).map(
      async (question): Promise<DnsLookup> => ({ ...question, answer: await lookUp(deps.dns, question) }),
    ),
  );
  return deliverabilityChecks({ domain, ses, dns });
};

import type { DnsResolver } from '../../../../lib/ports/dns-resolver.js';
import { dkimTokens, domain, mailFromDomain, region } from './ses-answers.js';

export interface ZoneRecords {
  CNAME?: string[];
  MX?: Array<{ exchange: string; priority: number }>;
  /** Each record as the strings DNS stores it in. */
  TXT?: string[][];
}
export type Zone = Record<string, ZoneRecords>;

/** An error as node:dns rejects with: `code`, `syscall`, `hostname`. */
export const dnsError = (code: string, syscall: string, hostname: string): Error =>
  Object.assign(new Error(`${syscall} ${code} ${hostname}`), { code, syscall, hostname });

/**
 * Answers from a zone the way node:dns's Resolver does: ENOTFOUND for a name the zone
 * lacks, ENODATA for a name without records of the type. Records the names it was asked.
 */
export class StubResolver implements DnsResolver {
  readonly asked: string[] = [];

  constructor(private readonly zone: Zone) {}

  private records(name: string, type: keyof ZoneRecords, syscall: string): ZoneRecords {
    this.asked.push(`${type} ${name}`);
    const records = this.zone[name];
    if (records === undefined) throw dnsError('ENOTFOUND', syscall, name);
    if (records[type] === undefined) throw dnsError('ENODATA', syscall, name);
    return records;
  }

  async resolveCname(name: string): Promise<string[]> {
    return this.records(name, 'CNAME', 'queryCname').CNAME ?? [];
  }

  async resolveMx(name: string): Promise<Array<{ exchange: string; priority: number }>> {
    return this.records(name, 'MX', 'queryMx').MX ?? [];
  }

  async resolveTxt(name: string): Promise<string[][]> {
    return this.records(name, 'TXT', 'queryTxt').TXT ?? [];
  }
}

/** Every lookup fails the same way: what a resolver does with the network down. */
export const failingResolver = (code: string): DnsResolver => ({
  resolveCname: async (name) => {
    throw dnsError(code, 'queryCname', name);
  },
  resolveMx: async (name) => {
    throw dnsError(code, 'queryMx', name);
  },
  resolveTxt: async (name) => {
    throw dnsError(code, 'queryTxt', name);
  },
});

/** Everything published right, DMARC split over two strings as long records are. */
export const healthyZone = (): Zone => ({
  ...Object.fromEntries(
    dkimTokens.map((token) => [`${token}._domainkey.${domain}`, { CNAME: [`${token}.dkim.amazonses.com`] }]),
  ),
  [mailFromDomain]: {
    MX: [{ exchange: `feedback-smtp.${region}.amazonses.com`, priority: 10 }],
    TXT: [['v=spf1 include:amazonses.com ~all']],
  },
  [`_dmarc.${domain}`]: {
    TXT: [['v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@', `${domain}; adkim=r; aspf=r`]],
  },
  // The canary every working resolver finds.
  'amazonses.com': { TXT: [['v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ip4:54.240.0.0/18 ~all']] },
});

import { z } from 'zod';
import { DnsRecordType } from './sender-dns-records.js';

/** One record set asked for: its type and its name, lower-case and without the final dot. */
export const DnsQuestion = z.object({ type: DnsRecordType, name: z.string().min(1) });
export type DnsQuestion = z.infer<typeof DnsQuestion>;

/**
 * What DNS said. `found` values are as the check compares them: a CNAME's target and an
 * MX's exchange lower-case without the final dot (an MX as `<priority> <exchange>`), a
 * TXT record's strings joined into one. `missing` is an answer too (no such name, or no
 * record of the type); `offline` is no answer at all; `failed`, an answer that says
 * nothing about the record (a malformed reply, a refused name).
 */
export const DnsAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('found'), values: z.array(z.string()) }),
  z.object({ kind: z.literal('missing') }),
  z.object({ kind: z.literal('offline'), code: z.string() }),
  z.object({ kind: z.literal('failed'), code: z.string() }),
]);
export type DnsAnswer = z.infer<typeof DnsAnswer>;

export const DnsLookup = DnsQuestion.extend({ answer: DnsAnswer });
export type DnsLookup = z.infer<typeof DnsLookup>;

/** NXDOMAIN and NODATA, as node:dns reports them: the name or the record does not exist. */
const missingCodes = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * No answer from any server: the network, or the resolver, is down. A SERVFAIL counts:
 * it is what a resolver says when it cannot reach the domain's servers either.
 */
const offlineCodes = new Set([
  'ECONNREFUSED',
  'ETIMEOUT',
  'ETIMEDOUT',
  'ESERVFAIL',
  'EAI_AGAIN',
  'EREFUSED',
  'ECONNRESET',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EOF',
  'ECANCELLED',
]);

/** A lookup's error code (node:dns's `error.code`) as an answer. */
export const dnsErrorAnswer = (code: string): DnsAnswer => {
  if (missingCodes.has(code)) return { kind: 'missing' };
  if (offlineCodes.has(code)) return { kind: 'offline', code };
  return { kind: 'failed', code };
};

/** A host name as DNS answers compare: lower-case, without the final dot. */
export const dnsName = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

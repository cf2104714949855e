import { z } from 'zod';
import { DmarcPolicy } from './sender-dns-records.js';

/** `r`elaxed: the same organizational domain will do; `s`trict: the very same name. */
export const DmarcAlignmentMode = z.enum(['r', 's']);
export type DmarcAlignmentMode = z.infer<typeof DmarcAlignmentMode>;

/** The tags of a DMARC record that decide what receivers do (RFC 7489, section 6.3), with its defaults. */
export const DmarcRecord = z.object({
  policy: DmarcPolicy,
  /** `sp`: the policy for subdomains; absent, `p` applies to them too. */
  subdomainPolicy: DmarcPolicy.optional(),
  adkim: DmarcAlignmentMode,
  aspf: DmarcAlignmentMode,
  /** The share of failing mail the policy applies to. */
  pct: z.number().int().min(0).max(100),
  /** Where aggregate reports go (`rua`), as written. */
  reportTo: z.array(z.string()),
});
export type DmarcRecord = z.infer<typeof DmarcRecord>;

/** A TXT record is a DMARC record when it starts with its version tag; other TXT records at the name are not. */
export const isDmarcText = (text: string): boolean => /^v\s*=\s*DMARC1\s*(;|$)/i.test(text.trim());

const tagsOf = (text: string): Map<string, string> =>
  new Map(
    text
      .split(';')
      .map((part) => part.trim())
      .filter((part) => part.includes('='))
      .map((part): [string, string] => {
        const at = part.indexOf('=');
        return [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()];
      }),
  );

export type DmarcParse = { ok: true; record: DmarcRecord } | { ok: false; problem: string };

/** A tag's value checked against its schema, or the problem naming the tag. */
const tagValue = <T>(
  tags: Map<string, string>,
  tag: string,
  schema: z.ZodType<T>,
  expected: string,
): { value: T | undefined } | { problem: string } => {
  const text = tags.get(tag);
  if (text === undefined) return { value: undefined };
  const parsed = schema.safeParse(text.toLowerCase());
  return parsed.success ? { value: parsed.data } : { problem: `${tag}= must be ${expected}, not "${text}"` };
};

const Pct = z
  .string()
  .regex(/^\d{1,3}$/)
  .transform(Number)
  .pipe(z.number().max(100));

/** The record's policy and alignment, or what makes receivers ignore it. */
export const parseDmarcRecord = (text: string): DmarcParse => {
  if (!isDmarcText(text)) return { ok: false, problem: 'does not start with v=DMARC1' };
  const tags = tagsOf(text);
  const policies = 'none, quarantine or reject';
  const policy = tagValue(tags, 'p', DmarcPolicy, policies);
  const subdomainPolicy = tagValue(tags, 'sp', DmarcPolicy, policies);
  const adkim = tagValue(tags, 'adkim', DmarcAlignmentMode, 'r or s');
  const aspf = tagValue(tags, 'aspf', DmarcAlignmentMode, 'r or s');
  const pct = tagValue(tags, 'pct', Pct, 'a whole number from 0 to 100');
  for (const tag of [policy, subdomainPolicy, adkim, aspf, pct]) {
    if ('problem' in tag) return { ok: false, problem: tag.problem };
  }
  if (!('value' in policy) || policy.value === undefined) return { ok: false, problem: 'has no p= policy' };
  const value = <T>(tag: { value: T | undefined } | { problem: string }): T | undefined =>
    'value' in tag ? tag.value : undefined;
  const sp = value(subdomainPolicy);
  return {
    ok: true,
    record: {
      policy: policy.value,
      ...(sp === undefined ? {} : { subdomainPolicy: sp }),
      adkim: value(adkim) ?? 'r',
      aspf: value(aspf) ?? 'r',
      pct: value(pct) ?? 100,
      reportTo: (tags.get('rua') ?? '')
        .split(',')
        .map((uri) => uri.trim())
        .filter((uri) => uri !== ''),
    },
  };
};

/** `name` is `domain` or one of its subdomains. */
export const isWithin = (name: string, domain: string): boolean =>
  name === domain || name.endsWith(`.${domain}`);

/**
 * Whether a domain that passed SPF or DKIM aligns with the From domain. Relaxed
 * alignment asks for the same organizational domain; without the public suffix list,
 * one being the other or a subdomain of it stands for that, which holds for the
 * names SES signs and bounces with (the identity's domain and a subdomain of it).
 */
export const aligns = (authenticated: string, fromDomain: string, mode: DmarcAlignmentMode): boolean =>
  mode === 's'
    ? authenticated === fromDomain
    : isWithin(authenticated, fromDomain) || isWithin(fromDomain, authenticated);

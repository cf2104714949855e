import { describe, expect, it } from 'vitest';
import { aligns, isDmarcText, parseDmarcRecord } from '../../../lib/domain/dmarc-record.js';

describe('a DMARC record', () => {
  it('is read with the defaults RFC 7489 gives the tags it leaves out', () => {
    expect(parseDmarcRecord('v=DMARC1; p=none; rua=mailto:dmarc-reports@northwind-books.com')).toEqual({
      ok: true,
      record: {
        policy: 'none',
        adkim: 'r',
        aspf: 'r',
        pct: 100,
        reportTo: ['mailto:dmarc-reports@northwind-books.com'],
      },
    });
  });

  it('is read whatever the case and spacing of its tags, with every report address', () => {
    expect(
      parseDmarcRecord(
        'v=DMARC1;P=Reject ; SP=quarantine;adkim=S; aspf=s; pct=50; rua=mailto:a@x.net, mailto:b@y.net;',
      ),
    ).toEqual({
      ok: true,
      record: {
        policy: 'reject',
        subdomainPolicy: 'quarantine',
        adkim: 's',
        aspf: 's',
        pct: 50,
        reportTo: ['mailto:a@x.net', 'mailto:b@y.net'],
      },
    });
  });

  it.each([
    ['v=DMARC1; rua=mailto:a@x.net', 'has no p= policy'],
    ['v=DMARC1; p=block', 'p= must be none, quarantine or reject, not "block"'],
    ['v=DMARC1; p=none; aspf=relaxed', 'aspf= must be r or s, not "relaxed"'],
    ['v=DMARC1; p=none; pct=150', 'pct= must be a whole number from 0 to 100, not "150"'],
    ['v=spf1 include:amazonses.com ~all', 'does not start with v=DMARC1'],
  ])('is refused when it says %s: it %s', (text, problem) => {
    expect(parseDmarcRecord(text)).toEqual({ ok: false, problem });
  });

  it('is told from the other TXT records at the name by its version tag', () => {
    expect(isDmarcText('v=DMARC1; p=none')).toBe(true);
    expect(isDmarcText('v=DMARC1')).toBe(true);
    expect(isDmarcText('google-site-verification=v=DMARC1')).toBe(false);
    expect(isDmarcText('v=DMARC10; p=none')).toBe(false);
  });
});

describe('alignment with the From domain', () => {
  it('accepts a subdomain when relaxed, only the very name when strict', () => {
    expect(aligns('bounce.northwind-books.com', 'northwind-books.com', 'r')).toBe(true);
    expect(aligns('bounce.northwind-books.com', 'northwind-books.com', 's')).toBe(false);
    expect(aligns('northwind-books.com', 'northwind-books.com', 's')).toBe(true);
  });

  it('refuses another domain, even one that ends in the same letters', () => {
    expect(aligns('amazonses.com', 'northwind-books.com', 'r')).toBe(false);
    expect(aligns('evil-northwind-books.com', 'northwind-books.com', 'r')).toBe(false);
  });
});

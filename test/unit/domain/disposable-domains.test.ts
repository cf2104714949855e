import { describe, expect, it } from 'vitest';
import { listedDomainOf } from '../../../lib/domain/disposable-domains.js';

const listed = new Set(['mailinator.com', 'throwaway.example', '0-mailer.dynv6.net']);

describe('a disposable-mail domain list', () => {
  it('names the listed domain an address uses', () => {
    expect(listedDomainOf('ann@mailinator.com', listed)).toBe('mailinator.com');
    expect(listedDomainOf('ann@MailInator.COM', listed)).toBe('mailinator.com');
  });

  it('covers every subdomain of a listed domain', () => {
    expect(listedDomainOf('ann@eu.mailinator.com', listed)).toBe('mailinator.com');
    expect(listedDomainOf('ann@a.b.throwaway.example', listed)).toBe('throwaway.example');
    expect(listedDomainOf('ann@x.0-mailer.dynv6.net', listed)).toBe('0-mailer.dynv6.net');
  });

  it('leaves a domain that only ends like a listed one, or contains it, alone', () => {
    expect(listedDomainOf('ann@notmailinator.com', listed)).toBeUndefined();
    expect(listedDomainOf('ann@mailinator.com.example', listed)).toBeUndefined();
    expect(listedDomainOf('ann@dynv6.net', listed)).toBeUndefined();
  });

  it('never matches a whole top-level domain, even if the list named one', () => {
    expect(listedDomainOf('ann@example.com', new Set(['com']))).toBeUndefined();
  });

  it('leaves everything alone when the list is empty', () => {
    expect(listedDomainOf('ann@mailinator.com', new Set())).toBeUndefined();
  });
});

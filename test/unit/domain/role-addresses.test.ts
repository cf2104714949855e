import { describe, expect, it } from 'vitest';
import { roleMailboxOf } from '../../../lib/domain/role-addresses.js';

describe('when an address is a mailbox kept for a duty', () => {
  it.each([
    ['abuse@example.com', 'abuse@'],
    ['postmaster@example.com', 'postmaster@'],
    ['hostmaster@example.com', 'hostmaster@'],
    ['webmaster@example.com', 'webmaster@'],
    ['security@example.com', 'security@'],
    ['noc@example.com', 'noc@'],
    ['mailer-daemon@example.com', 'mailer-daemon@'],
    ['MAILER_DAEMON@example.com', 'mailer_daemon@'],
  ])('names %s as %s', (email, role) => {
    expect(roleMailboxOf(email)).toBe(role);
  });

  it('reads it whatever the case, and with a plus tag', () => {
    expect(roleMailboxOf('PostMaster@Example.com')).toBe('postmaster@');
    expect(roleMailboxOf('postmaster+signups@example.com')).toBe('postmaster@');
    expect(roleMailboxOf(' Abuse+x+y@example.com ')).toBe('abuse@');
  });
});

describe('when an address says nobody reads it', () => {
  it.each([
    'noreply@shop.example',
    'no-reply@shop.example',
    'no_reply@shop.example',
    'No.Reply@shop.example',
    'donotreply@shop.example',
    'do-not-reply@shop.example',
    'noreply+orders@shop.example',
    'noreply-orders@shop.example',
    'no-reply.billing@shop.example',
  ])('names %s a role address', (email) => {
    expect(roleMailboxOf(email)).toMatch(/^(no|do).*@$/);
  });

  it('names it as typed, without the tag', () => {
    expect(roleMailboxOf('No-Reply+x@shop.example')).toBe('no-reply@');
  });
});

describe('when an address only looks like a role', () => {
  it.each([
    'info@shop.example',
    'sales@shop.example',
    'support@shop.example',
    'marketing@shop.example',
    'admin@shop.example',
    'hello@shop.example',
    'postmasters@example.com',
    'abuse.team@example.com',
    'newsletter@example.com',
    'securityguard@example.com',
    'norah@example.com',
    'nora.reply@example.com',
    'ann@postmaster.example',
    'ann+postmaster@example.com',
  ])('leaves %s alone', (email) => {
    expect(roleMailboxOf(email)).toBeUndefined();
  });
});

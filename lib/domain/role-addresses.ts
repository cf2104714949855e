/**
 * Mailboxes kept for a duty rather than read by one person who asked for mail:
 * the operations and service names of RFC 2142 (sections 4 and 5) and the bounce
 * sender. Mail to them reaches whoever is on duty, who never consented; they are
 * where complaints come from and where spam traps hide.
 *
 * The business names of RFC 2142 section 3 (`info`, `marketing`, `sales`,
 * `support`) stay allowed, and so do `admin`, `contact` and `hello`: the owner of a
 * small shop or a freelancer often reads them personally and signs up with them.
 */
const dutyMailboxes: ReadonlySet<string> = new Set([
  'abuse',
  'noc',
  'security',
  'postmaster',
  'hostmaster',
  'usenet',
  'news',
  'webmaster',
  'www',
  'uucp',
  'ftp',
  'mailerdaemon',
]);

/** Addresses that say nobody reads them, with whatever follows (`noreply-orders`, `do.not.reply`). */
const unreadPrefixes = ['noreply', 'donotreply'];

/**
 * The role mailbox an address is, as the person typed it (`postmaster@`,
 * `no-reply@`), or undefined for an address a person may own. Case and a plus tag
 * (`noreply+shop@`) make no difference, nor do the dots, hyphens and underscores
 * that spell one name several ways (`mailer-daemon`, `no_reply`).
 */
export const roleMailboxOf = (email: string): string | undefined => {
  const at = email.lastIndexOf('@');
  if (at < 1) return undefined;
  const local = email.slice(0, at).trim().toLowerCase();
  const mailbox = local.split('+', 1)[0] ?? local;
  const name = mailbox.replace(/[.\-_]/g, '');
  const isRole = dutyMailboxes.has(name) || unreadPrefixes.some((prefix) => name.startsWith(prefix));
  return isRole ? `${mailbox}@` : undefined;
};

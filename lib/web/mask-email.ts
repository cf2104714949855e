/**
 * Shows enough of an address for its owner to recognise it on a page reached by a
 * link, without showing it whole to whoever else holds the link: `j***@example.com`.
 */
export const maskEmail = (email: string): string => {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email.slice(0, 1)}***${email.slice(at)}`;
};

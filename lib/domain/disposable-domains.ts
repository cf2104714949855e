/**
 * The listed domain an address's domain is or lies under (`mailinator.com` for
 * `x@eu.mailinator.com`), or undefined. A throwaway service hands out subdomains
 * as freely as addresses, so a list naming the service covers them all.
 */
export const listedDomainOf = (email: string, listed: ReadonlySet<string>): string | undefined => {
  const domain = email
    .slice(email.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  const labels = domain.split('.');
  // Down to the last two labels: a list never names a whole top-level domain.
  for (let start = 0; start < labels.length - 1; start += 1) {
    const candidate = labels.slice(start).join('.');
    if (listed.has(candidate)) return candidate;
  }
  return undefined;
};

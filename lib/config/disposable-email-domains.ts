// The list itself rather than the package's entry point: a JSON module has no side
// effects, so a function that never builds the set (all but signup) bundles none of it.
import shippedList from 'disposable-email-domains-js/dist/dict/disposable_email_blocklist.json' with {
  type: 'json',
};

/**
 * The domains a deployment refuses when it refuses disposable mail: the blocklist
 * of the disposable-email-domains project (CC0, kept up to date upstream and
 * published as the disposable-email-domains-js package; `npm update` brings new
 * entries), and the deployment's own (`DISPOSABLE_EMAIL_DOMAINS`).
 */
export const disposableEmailDomains = (extra: readonly string[]): ReadonlySet<string> =>
  new Set([...shippedList, ...extra].map((name) => name.toLowerCase()));

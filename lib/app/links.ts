import type { TokenKeys, TokenPurpose } from '../domain/tokens.js';
import { issueToken } from '../domain/tokens.js';

export interface LinkSettings {
  publicBaseUrl: string;
  tokenKeys: TokenKeys;
  tokenTtlDays: number;
}

const paths: Record<TokenPurpose, string> = {
  confirm: '/v1/confirm',
  unsubscribe: '/v1/unsubscribe',
  preferences: '/v1/preferences',
};

/**
 * A signed link for one contact and one purpose, valid for the configured
 * number of days; with the key of the message it goes out in, when what the
 * link leads to is credited to that message.
 */
export const signedLink = (
  settings: LinkSettings,
  purpose: TokenPurpose,
  contactId: string,
  now: Date,
  messageKey?: string,
): string => {
  const expiresAt = new Date(now.getTime() + settings.tokenTtlDays * 86_400_000);
  const token = issueToken(settings.tokenKeys, {
    purpose,
    contactId,
    expiresAt,
    ...(messageKey === undefined ? {} : { messageKey }),
  });
  return `${settings.publicBaseUrl}${paths[purpose]}?token=${encodeURIComponent(token)}`;
};

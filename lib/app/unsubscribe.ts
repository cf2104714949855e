import { applyConsentCommand } from '../domain/consent.js';
import type { ConsentSource } from '../domain/consent-entry.js';
import type { Contact } from '../domain/contact.js';
import { campaignScopes, metricKey } from '../domain/stats-keys.js';
import type { Outbox } from '../ports/outbox.js';
import type { StatsStore } from '../ports/stats-store.js';
import { type AudienceCounterDeps, countAudience } from './count-audience.js';
import type { ConsentChangeDeps } from './record-consent-change.js';
import { recordConsentChange } from './record-consent-change.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { TokenLinkDeps } from './token-links.js';
import { linkOf } from './token-links.js';

/** The consent change, and today's `audience` unsubscribes. */
export type UnsubscribeContactDeps = ConsentChangeDeps & AudienceCounterDeps;

export type UnsubscribeDeps = TokenLinkDeps & UnsubscribeContactDeps;

/** The unsubscribe link's: the message it came in, for the campaign that sent it. */
export type UnsubscribeLinkDeps = UnsubscribeDeps & {
  messages: Pick<Outbox, 'get'>;
  stats: Pick<StatsStore, 'increment'>;
};

type Source = Omit<ConsentSource, 'kind'> & { kind: 'unsubscribe-link' | 'preference-center' };

/**
 * Takes the contact off all marketing email at once. Safe to repeat: a second
 * POST (mail clients retry one-click requests) writes nothing.
 */
export const unsubscribeContact = async (
  deps: UnsubscribeContactDeps,
  contact: Contact,
  source: Source,
): Promise<Contact> => {
  const transition = applyConsentCommand(contact.consent.email.status, 'unsubscribe');
  if (transition.outcome !== 'changed') return contact;
  const after = await recordConsentChange(deps, contact, {
    action: 'unsubscribed',
    source,
    emailStatus: transition.status,
    event: { type: 'unsubscribed', data: { channel: 'email' } },
  });
  // Counted once the change is stored: a conflict throws above and is retried from a fresh read.
  await countAudience(deps, 'unsubscribe');
  return after;
};

export const unsubscribe = async (
  deps: UnsubscribeLinkDeps,
  request: { token: string; source: Omit<ConsentSource, 'kind'> },
): Promise<Contact> => {
  let leftThrough: string | undefined;
  const contact = await retryOnConflict(async () => {
    const { contact, claims } = await linkOf(deps, request.token, 'unsubscribe');
    const leaves = applyConsentCommand(contact.consent.email.status, 'unsubscribe').outcome === 'changed';
    const after = await unsubscribeContact(deps, contact, { ...request.source, kind: 'unsubscribe-link' });
    leftThrough = leaves ? claims.messageKey : undefined;
    return after;
  });
  if (leftThrough !== undefined) await countUnsubscribe(deps, contact.id, leftThrough);
  return contact;
};

/**
 * A campaign counts who left through the link in its mail, once: a repeated
 * POST changes no consent and reaches none of this. After the consent is
 * stored, so a crash in between loses the count rather than the unsubscribe.
 */
const countUnsubscribe = async (deps: UnsubscribeLinkDeps, contactId: string, messageKey: string) => {
  const message = await deps.messages.get(contactId, messageKey);
  if (message?.campaignId === undefined) return;
  const day = deps.clock.now().toISOString().slice(0, 10);
  for (const scope of campaignScopes(message.campaignId, message.variant))
    await deps.stats.increment(scope, day, metricKey({ kind: 'unsubscribed' }));
};

import { applyConsentCommand } from '../domain/consent.js';
import type { ConsentSource } from '../domain/consent-entry.js';
import { withEngagement } from '../domain/engagement.js';
import { LinkNoLongerValidError } from '../domain/errors.js';
import type { IdGenerator } from '../ports/id-generator.js';
import { type AudienceCounterDeps, countAudience } from './count-audience.js';
import { recordConsentChange } from './record-consent-change.js';
import { retryOnConflict } from './retry-on-conflict.js';
import type { TokenLinkDeps } from './token-links.js';
import { contactFromLink } from './token-links.js';

export interface ConfirmDeps extends TokenLinkDeps {
  ids: IdGenerator;
  /** Today's `audience` confirmations. */
  stats: AudienceCounterDeps['stats'];
}

export type ConfirmOutcome = { outcome: 'confirmed' | 'already-confirmed'; contactId: string };

/**
 * Double opt-in's second step. The `signup_confirmed` event written with it is
 * what starts journeys.
 */
export const confirmSubscription = async (
  deps: ConfirmDeps,
  request: { token: string; source: Omit<ConsentSource, 'kind'> },
): Promise<ConfirmOutcome> => {
  const confirmed = await retryOnConflict(async (): Promise<ConfirmOutcome> => {
    const contact = await contactFromLink(deps, request.token, 'confirm');
    const transition = applyConsentCommand(contact.consent.email.status, 'confirm');
    if (transition.outcome === 'refused') {
      throw new LinkNoLongerValidError('this confirmation link no longer applies; please sign up again');
    }
    if (transition.outcome === 'unchanged') return { outcome: 'already-confirmed', contactId: contact.id };
    // SMS consent asked for at signup is confirmed by the same double opt-in, on its own log line.
    const sms = applyConsentCommand(contact.consent.sms.status, 'confirm');
    // Confirming is engagement, recorded in the same write as the consent.
    const engaged = withEngagement(contact, deps.clock.now().toISOString());
    await recordConsentChange(deps, engaged, {
      action: 'confirmed',
      source: { ...request.source, kind: 'confirmation-page' },
      emailStatus: transition.status,
      ...(contact.consent.sms.status === 'pending' && sms.outcome === 'changed'
        ? { smsStatus: sms.status }
        : {}),
      topics: contact.pendingTopics,
      pendingTopics: [],
      event: { type: 'signup_confirmed', data: { topics: contact.pendingTopics, channel: 'email' } },
    });
    return { outcome: 'confirmed', contactId: contact.id };
  });
  // A second click finds the contact subscribed already: only the change counts.
  if (confirmed.outcome === 'confirmed') await countAudience(deps, 'confirmation');
  return confirmed;
};

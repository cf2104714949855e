import { applyConsentCommand } from '../domain/consent.js';
import { type InboundSms, isStartRequest, isStopRequest } from '../domain/inbound-sms.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { PhoneDirectory } from '../ports/phone-directory.js';
import type { SuppressionStore } from '../ports/suppression-store.js';
import { recordConsentChange } from './record-consent-change.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface RecordInboundSmsDeps {
  contacts: ContactStore;
  phones: PhoneDirectory;
  suppressions: SuppressionStore;
  clock: Clock;
  ids: IdGenerator;
}

/** What a reply did, for the handler's log line. */
export type InboundSmsOutcome =
  | {
      reply: 'stop';
      /** The contact the number is filed under, if any. */
      contactId?: string;
      /** Whether this reply changed the contact's SMS consent (false when it was already off, or on replay). */
      unsubscribed: boolean;
    }
  /** Logged only: see the comment on recordInboundSms. */
  | { reply: 'start' }
  | { reply: 'other' };

/**
 * Applies one two-way SMS reply. A STOP (or any opt-out keyword) suppresses the
 * number for good, whoever it belongs to, and unsubscribes the contact filed under
 * it, with a consent-log entry. Safe to replay: a second STOP changes nothing.
 *
 * START is not acted on. Carriers and AWS lift their own opt-out on it, but to us
 * it is not consent: it carries no wording, no form, and may come from whoever holds
 * the phone now. Texting again needs a fresh opt-in and an operator lifting the
 * suppression (as for a bounced address). Anything else is a conversation we do not
 * hold; it is logged and dropped.
 */
export const recordInboundSms = async (
  deps: RecordInboundSmsDeps,
  sms: InboundSms,
): Promise<InboundSmsOutcome> => {
  if (isStartRequest(sms.messageBody)) return { reply: 'start' };
  if (!isStopRequest(sms.messageBody)) return { reply: 'other' };

  const number = sms.originationNumber;
  const now = deps.clock.now();
  const contactId = await deps.phones.findIdByPhone(number);
  // Logged on the contact before the suppression is written: a crash in between replays
  // the whole reply, never leaves a suppression the contact's log does not explain.
  const unsubscribed = contactId === undefined ? false : await unsubscribeSms(deps, contactId, sms);
  await deps.suppressions.suppress({
    channel: 'sms',
    address: number,
    reason: 'opt-out',
    at: now.toISOString(),
    detail: `replied "${sms.messageBody.trim().slice(0, 40)}" to ${sms.destinationNumber}`,
  });
  return { reply: 'stop', ...(contactId === undefined ? {} : { contactId }), unsubscribed };
};

const unsubscribeSms = (deps: RecordInboundSmsDeps, contactId: string, sms: InboundSms): Promise<boolean> =>
  retryOnConflict(async () => {
    const contact = await deps.contacts.get(contactId);
    if (contact === undefined) return false;
    const transition = applyConsentCommand(contact.consent.sms.status, 'unsubscribe');
    if (transition.outcome !== 'changed') return false;
    await recordConsentChange(deps, contact, {
      action: 'unsubscribed',
      source: { kind: 'sms-reply' },
      smsStatus: transition.status,
      reason: `replied "${sms.messageBody.trim().slice(0, 40)}" (inbound message ${sms.inboundMessageId})`,
    });
    return true;
  });

import { mayReceiveMarketing } from '../domain/consent.js';
import type { Contact } from '../domain/contact.js';
import type { EmailTemplate } from '../domain/email-template.js';
import { MailerRejectedError, MessageInFlightError } from '../domain/errors.js';
import type { Message, SkipReason } from '../domain/message.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { Mailer } from '../ports/mailer.js';
import type { Outbox } from '../ports/outbox.js';
import type { StatsStore } from '../ports/stats-store.js';
import type { SuppressionStore } from '../ports/suppression-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import type { RenderedEmail, RenderInput } from '../templates/render-email.js';
import type { LinkSettings } from './links.js';
import { signedLink } from './links.js';

export interface DeliverDeps {
  outbox: Outbox;
  contacts: ContactStore;
  suppressions: SuppressionStore;
  templates: TemplateStore;
  stats: StatsStore;
  mailer: Mailer;
  clock: Clock;
  render: (template: EmailTemplate, input: RenderInput) => Promise<RenderedEmail>;
  settings: LinkSettings & {
    sender: string;
    postalAddress: string;
    /** Longer than one send can take (SES retries included), so a live delivery's claim is never taken over. */
    claimLeaseMs: number;
    /**
     * How long a redelivered record may wait for an abandoned claim to lapse before
     * taking it over. Stream retries come within seconds; without waiting, a claim
     * left by a timed-out invocation would use them all up and strand the message.
     */
    maxClaimWaitMs: number;
  };
}

export type DeliveryOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'skipped'; reason: SkipReason }
  | { outcome: 'failed'; error: string }
  /** Already handled by an earlier delivery of the same record: nothing was sent again. */
  | { outcome: 'duplicate' }
  | { outcome: 'missing' };

const senderName = (sender: string): string => /^\s*"?([^"<]+?)"?\s*</.exec(sender)?.[1] ?? sender;

/**
 * Sends one outbox message. Consent and suppression are checked here, at send
 * time, not when the message was queued: an unsubscribe between the two wins.
 *
 * The message is claimed (queued → sending) before SES is called and marked sent
 * after. SES takes no idempotency token, so the one window left is a crash after
 * SES accepted the mail and before `sent` was written; see docs/architecture.md.
 */
export const deliverMessage = async (
  deps: DeliverDeps,
  ref: { contactId: string; key: string },
): Promise<DeliveryOutcome> => {
  const now = deps.clock.now();
  const claim = await deps.outbox.claim(ref.contactId, ref.key, now, deps.settings.claimLeaseMs);
  switch (claim.outcome) {
    case 'missing':
      return { outcome: 'missing' };
    case 'finished':
      return { outcome: 'duplicate' };
    case 'in-flight': {
      const lapsesIn = Date.parse(claim.message.claimExpiresAt ?? '') - now.getTime();
      if (!(lapsesIn <= deps.settings.maxClaimWaitMs)) {
        throw new MessageInFlightError(`message ${ref.key} is being delivered by another invocation`);
      }
      await deps.clock.sleep(Math.max(0, lapsesIn) + 50);
      const retried = await deps.outbox.claim(
        ref.contactId,
        ref.key,
        deps.clock.now(),
        deps.settings.claimLeaseMs,
      );
      if (retried.outcome === 'claimed') return sendClaimed(deps, retried.message, deps.clock.now());
      if (retried.outcome === 'in-flight') {
        throw new MessageInFlightError(`message ${ref.key} is being delivered by another invocation`);
      }
      return { outcome: retried.outcome === 'missing' ? 'missing' : 'duplicate' };
    }
    case 'claimed':
      return sendClaimed(deps, claim.message, now);
    default: {
      const unknownClaim: never = claim;
      throw new Error(`unknown claim outcome ${JSON.stringify(unknownClaim)}`);
    }
  }
};

/** Daily counters for the journey (or transactional mail), and for the node that queued the message. */
const count = async (deps: DeliverDeps, message: Message, now: Date, metric: string): Promise<void> => {
  const scope = message.journeyId === undefined ? 'transactional' : `journey:${message.journeyId}`;
  const day = now.toISOString().slice(0, 10);
  await deps.stats.increment(scope, day, metric);
  if (message.nodeId !== undefined)
    await deps.stats.increment(scope, day, `node:${message.nodeId}:${metric}`);
};

const skip = async (
  deps: DeliverDeps,
  message: Message,
  now: Date,
  reason: SkipReason,
): Promise<DeliveryOutcome> => {
  await deps.outbox.markSkipped(message.contactId, message.key, reason);
  await count(deps, message, now, `skipped:${reason}`);
  return { outcome: 'skipped', reason };
};

const fail = async (
  deps: DeliverDeps,
  message: Message,
  now: Date,
  error: string,
): Promise<DeliveryOutcome> => {
  await deps.outbox.markFailed(message.contactId, message.key, error);
  await count(deps, message, now, 'failed');
  return { outcome: 'failed', error };
};

const blockedReason = async (
  deps: DeliverDeps,
  message: Message,
  contact: Contact,
): Promise<SkipReason | undefined> => {
  if (await deps.suppressions.isSuppressed('email', contact.email)) return 'suppressed';
  if (message.kind === 'transactional') return undefined;
  const verdict = mayReceiveMarketing(contact.consent.email.status, contact.topics, message.topic);
  return verdict === 'allowed' ? undefined : verdict;
};

const sendClaimed = async (deps: DeliverDeps, message: Message, now: Date): Promise<DeliveryOutcome> => {
  const contact = await deps.contacts.get(message.contactId);
  if (contact === undefined) return skip(deps, message, now, 'contact-missing');
  const blocked = await blockedReason(deps, message, contact);
  if (blocked !== undefined) return skip(deps, message, now, blocked);

  const template = await deps.templates.get(message.templateId);
  if (template === undefined) return fail(deps, message, now, `unknown template "${message.templateId}"`);
  const marketing = message.kind === 'marketing';
  const link = (purpose: 'confirm' | 'unsubscribe' | 'preferences') =>
    signedLink(deps.settings, purpose, contact.id, now);
  const links = marketing
    ? { unsubscribe: link('unsubscribe'), preferences: link('preferences') }
    : { confirm: link('confirm') };

  let rendered: RenderedEmail;
  try {
    rendered = await deps.render(template, {
      contact: {
        email: contact.email,
        topics: contact.topics.length > 0 ? contact.topics : contact.pendingTopics,
        ...(contact.name === undefined ? {} : { name: contact.name }),
      },
      links,
      postalAddress: deps.settings.postalAddress,
      sender: { name: senderName(deps.settings.sender) },
    });
  } catch (error) {
    return fail(deps, message, now, `render: ${error instanceof Error ? error.message : String(error)}`);
  }

  const headers =
    links.unsubscribe === undefined
      ? []
      : [
          { name: 'List-Unsubscribe', value: `<${links.unsubscribe}>` },
          { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
        ];
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await deps.mailer.send({
      from: deps.settings.sender,
      to: contact.email,
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers,
      tags: {
        'rapport-contact': contact.id,
        'rapport-message': message.key,
        ...(message.journeyId === undefined ? {} : { 'rapport-journey': message.journeyId }),
      },
    }));
  } catch (error) {
    if (error instanceof MailerRejectedError) return fail(deps, message, now, error.message);
    // Throttling (MailerThrottledError) or an unknown failure before SES accepted the
    // mail: hand the claim back so the retried record can send it.
    await deps.outbox.release(message.contactId, message.key);
    throw error;
  }
  // SES has the mail now. If recording that fails, the claim is NOT released: the
  // lease keeps a retry from sending it again (see docs/architecture.md).
  await deps.outbox.markSent(message.contactId, message.key, { providerMessageId, sentAt: deps.clock.now() });
  await count(deps, message, now, 'sent');
  return { outcome: 'sent', providerMessageId };
};

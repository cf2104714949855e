import { DateTime } from 'luxon';
import type { CompiledTemplate } from '../domain/compiled-email.js';
import { applyConsentCommand, mayReceiveMarketing } from '../domain/consent.js';
import type { Channel, Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import { type CounterIncrement, countMarkAt } from '../domain/counter-increment.js';
import { checkDelivery, type DeliveryPolicy } from '../domain/delivery-policy.js';
import { durationOf } from '../domain/durations.js';
import { recommendationsSuffice } from '../domain/email-template.js';
import { isSunset, type SunsetAfter } from '../domain/engagement.js';
import { messageOf } from '../domain/error-text.js';
import {
  MailerPausedError,
  MailerRejectedError,
  MailerThrottledError,
  MessageInFlightError,
  TemplateMissingError,
  TexterOptedOutError,
  TexterRejectedError,
  TexterThrottledError,
} from '../domain/errors.js';
import type { DeferReason, Message, SkipReason } from '../domain/message.js';
import type { SendingState } from '../domain/sending-state.js';
import { campaignScopes, type DeliveryMetric, metricKey, statsScope } from '../domain/stats-keys.js';
import type { MessageTimer } from '../domain/timer.js';
import type { CampaignStore } from '../ports/campaign-store.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { JourneyStore } from '../ports/journey-store.js';
import type { Mailer } from '../ports/mailer.js';
import type { Outbox } from '../ports/outbox.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { RecommendationSource } from '../ports/recommendation-source.js';
import type { StatsStore } from '../ports/stats-store.js';
import { type SuppressionStore, suppressionInForce } from '../ports/suppression-store.js';
import type { TemplateStore } from '../ports/template-store.js';
import type { SmsType, Texter } from '../ports/texter.js';
import type { MessageDeferrals } from '../ports/timer-store.js';
import type { RenderedEmail, RenderInput } from '../templates/render-compiled-email.js';
import { renderSms } from '../templates/render-sms.js';
import { contactRenderInput, readerCalendar } from './contact-render-input.js';
import type { LinkSettings } from './links.js';
import { signedLink } from './links.js';
import { recordConsentChange } from './record-consent-change.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface SmsSettings {
  /** Alphanumeric sender ID, where the destination country allows one. */
  senderId?: string;
  /** A number the account owns (E.164), where sender IDs are not allowed. */
  originationNumber?: string;
  marketingType: SmsType;
  transactionalType: SmsType;
}

export interface DeliverDeps {
  outbox: Outbox;
  contacts: ContactStore;
  suppressions: SuppressionStore;
  /** The latest version of a template, with the HTML it was compiled to when published. */
  templates: Pick<TemplateStore, 'forSending'>;
  /** An archived journey's queued messages are not sent. */
  journeys: Pick<JourneyStore, 'status'>;
  /** A campaign's message is sent only while it runs: held while paused, skipped once cancelled. */
  campaigns: Pick<CampaignStore, 'get'>;
  stats: StatsStore;
  mailer: Mailer;
  texter: Texter;
  /** Files a deferred message's copy in the timer wheel. */
  deferrals: MessageDeferrals;
  /** The account's send rate, shared by every concurrent invocation. */
  rateLimiter: RateLimiter;
  clock: Clock;
  ids: IdGenerator;
  /** Liquid over the compiled HTML: sending never runs MJML. */
  render: (template: CompiledTemplate, input: RenderInput) => Promise<RenderedEmail>;
  /** For templates that show recommendations. */
  recommendations: RecommendationSource;
  /** The caps and quiet hours in force (cached by the caller); undefined holds nothing back. */
  policy: () => Promise<DeliveryPolicy | undefined>;
  /** Whether marketing email is paused: read for each marketing email, so a pause holds the next one. */
  sendingState: () => Promise<SendingState>;
  settings: LinkSettings & {
    sender: string;
    postalAddress: string;
    /** Quiet hours are read in the contact's time zone, or this one. */
    defaultTimeZone: string;
    sms: SmsSettings;
    /** Emails a second the SES account takes (`SES_MAX_SEND_RATE`); every invocation together stays under it. */
    emailSendRate: number;
    /** Texts a second the origination number takes (`SMS_MAX_SEND_RATE`); every invocation together stays under it. */
    smsSendRate: number;
    /** Longer than one send can take (SES retries included), so a live delivery's claim is never taken over. */
    claimLeaseMs: number;
    /** How long one message waits for the send rate and a throttling provider before its record is retried. */
    sendWaitMs: number;
    /**
     * How long a redelivered record may wait for an abandoned claim to lapse before
     * taking it over. Stream retries come within seconds; without waiting, a claim
     * left by a timed-out invocation would use them all up and strand the message.
     */
    maxClaimWaitMs: number;
    /**
     * The sunset policy (SUNSET_AFTER): marketing email skips a contact not engaged for
     * this long (`not-engaged`). Absent, no sunset: tools and tests that stand for no
     * deployment; the deployments always pass it.
     */
    sunsetAfter?: SunsetAfter;
  };
}

export type DeliveryOutcome =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'skipped'; reason: SkipReason }
  | { outcome: 'deferred'; until: string; reason: DeferReason }
  | { outcome: 'failed'; error: string }
  /** Already handled by an earlier delivery of the same record: nothing was sent again. */
  | { outcome: 'duplicate' }
  | { outcome: 'missing' };

const senderName = (sender: string): string => /^\s*"?([^"<]+?)"?\s*</.exec(sender)?.[1] ?? sender;

/**
 * Sends one outbox message, by email or SMS. Consent, suppression and the delivery
 * policy are checked here, at send time, not when the message was queued: an
 * unsubscribe between the two wins, and caps hold across journeys.
 *
 * The message is claimed (queued → sending) before the provider is called and marked
 * sent after. Neither SES nor SNS takes an idempotency token, so the one window left
 * is a crash after the provider accepted and before `sent` was written; see
 * docs/architecture.md.
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
      await completeFinished(deps, claim.message, now);
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
      if (retried.outcome === 'missing') return { outcome: 'missing' };
      await completeFinished(deps, retried.message, deps.clock.now());
      return { outcome: 'duplicate' };
    }
    case 'claimed':
      return sendClaimed(deps, claim.message, now);
    default: {
      const unknownClaim: never = claim;
      throw new Error(`unknown claim outcome ${JSON.stringify(unknownClaim)}`);
    }
  }
};

/**
 * A sent message's counters, once: behind a mark on the message, so the delivery that
 * sent it and any redelivery that finds it sent (after a crash between the two writes)
 * count it exactly once, on the day it was sent.
 */
const countSent = async (deps: DeliverDeps, message: Message, sentAt: Date): Promise<void> => {
  await deps.stats.countOnce(
    countMarkAt(`sent#${message.contactId}#${message.key}`, sentAt),
    deliveryCounters(message, sentAt, { outcome: 'sent' }),
  );
};

/** What a delivery that died after finishing a message may have left undone. */
const completeFinished = async (deps: DeliverDeps, message: Message, now: Date): Promise<void> => {
  // It died between marking the message deferred and filing its copy: no timer was left.
  if (message.status === 'deferred') await fileDeferredCopy(deps, message, now);
  // It died between marking the message sent and counting it.
  if (message.status === 'sent' && message.sentAt !== undefined)
    await countSent(deps, message, new Date(message.sentAt));
};

/**
 * Daily counters for the journey (or transactional messages), and for the node
 * that queued the message; a campaign's in total and under its variant. A skip,
 * failure or deferral counts in the write that records it, so only the delivery
 * that moved the message counts it and a crash cannot come between the two; a
 * send counts behind its own mark right after (`countSent`).
 */
const deliveryCounters = (message: Message, now: Date, delivery: DeliveryMetric): CounterIncrement[] => {
  const day = now.toISOString().slice(0, 10);
  const metric = metricKey({ kind: 'delivery', delivery });
  if (message.campaignId !== undefined)
    return campaignScopes(message.campaignId, message.variant).map((scope) => ({
      scope,
      day,
      metric,
      by: 1,
    }));
  const scope =
    message.journeyId === undefined ? statsScope.transactional : statsScope.journey(message.journeyId);
  return [
    { scope, day, metric, by: 1 },
    ...(message.nodeId === undefined
      ? []
      : [
          {
            scope,
            day,
            metric: metricKey({
              kind: 'node',
              nodeId: message.nodeId,
              metric: { kind: 'delivery', delivery },
            }),
            by: 1,
          },
        ]),
  ];
};

/**
 * For a journey's message, the `message_skipped` event its journey can react to
 * (a reminder nobody received is not "unanswered"). Its id comes from the
 * message, so skipping the same message again writes no second event.
 */
const skippedEvent = (message: Message, now: Date, reason: SkipReason): ContactEvent | undefined =>
  message.journeyId === undefined || message.enrollmentId === undefined || message.nodeId === undefined
    ? undefined
    : {
        id: `skip-${Buffer.from(message.key).toString('base64url')}`,
        contactId: message.contactId,
        type: 'message_skipped',
        at: now.toISOString(),
        data: {
          journeyId: message.journeyId,
          enrollmentId: message.enrollmentId,
          nodeId: message.nodeId,
          channel: message.channel,
          templateId: message.templateId,
          reason,
        },
      };

const skip = async (
  deps: DeliverDeps,
  message: Message,
  now: Date,
  reason: SkipReason,
): Promise<DeliveryOutcome> => {
  await deps.outbox.markSkipped(
    message.contactId,
    message.key,
    reason,
    skippedEvent(message, now, reason),
    deliveryCounters(message, now, { outcome: 'skipped', reason }),
  );
  return { outcome: 'skipped', reason };
};

const fail = async (
  deps: DeliverDeps,
  message: Message,
  now: Date,
  error: string,
): Promise<DeliveryOutcome> => {
  await deps.outbox.markFailed(
    message.contactId,
    message.key,
    error,
    deliveryCounters(message, now, { outcome: 'failed' }),
  );
  return { outcome: 'failed', error };
};

/**
 * Calls the provider before it accepted anything: a failure (throttling, the
 * network) hands the claim back so the retried record can send, then rethrows.
 */
const beforeAcceptance = async <T>(
  deps: DeliverDeps,
  message: Message,
  call: () => Promise<T>,
): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    await deps.outbox.release(message.contactId, message.key);
    throw error;
  }
};

/** A message ready to go: `send` calls the provider once. */
type Prepared =
  | { ready: true; send: () => Promise<{ providerMessageId: string }>; recommended?: boolean }
  | { ready: false; error: string }
  /** Nothing wrong, but nothing worth sending: a recommendation mail with nothing new to recommend. */
  | { ready: false; skip: SkipReason };

/** What differs between email and SMS; claiming, skipping, the policy, failing and counting are shared. */
interface ChannelDelivery {
  /** Undefined when the message may go; a reason to skip it otherwise. */
  blocked(deps: DeliverDeps, message: Message, contact: Contact, now: Date): Promise<SkipReason | undefined>;
  /** `subject` replaces the template's subject (an A/B variant's), rendered like it. */
  prepare(
    deps: DeliverDeps,
    message: Message,
    contact: Contact,
    now: Date,
    subject?: string,
  ): Promise<Prepared>;
  /** Refused for good by the provider: the message fails instead of being retried. */
  isRejection(error: unknown): boolean;
  /** A reason the whole account cannot send this kind of message now (checked before the provider is called), or undefined. */
  held(deps: DeliverDeps, message: Message): Promise<DeferReason | undefined>;
  /** The provider's account rate: a shared window in the table, and how a send that cannot get into it fails. */
  rate(deps: DeliverDeps): { key: string; perSecond: number; slowDown: (message: string) => Error };
}

/** A journey message's `trigger` and `event`, as its template sees them. */
const messageContextOf = (message: Message) => ({
  ...(message.context?.trigger === undefined ? {} : { trigger: message.context.trigger }),
  ...(message.context?.event === undefined ? {} : { event: message.context.event }),
});

const email: ChannelDelivery = {
  async blocked(deps, message, contact, now) {
    const suppression = await deps.suppressions.find('email', contact.email);
    // A rest after soft bounces is told apart, so reports do not take it for a dead address.
    if (suppression !== undefined && suppressionInForce(suppression, now))
      return suppression.reason === 'soft-bounce' ? 'soft-bounced' : 'suppressed';
    if (message.kind === 'transactional') return undefined;
    const verdict = mayReceiveMarketing(contact.consent.email.status, contact.topics, message.topic);
    if (verdict !== 'allowed') return verdict;
    const { sunsetAfter } = deps.settings;
    return sunsetAfter !== undefined && isSunset(contact, sunsetAfter, now) ? 'not-engaged' : undefined;
  },

  async prepare(deps, message, contact, now, subject) {
    const published = await deps.templates.forSending(message.templateId);
    // Not the message's failure: publishing the template and redriving the record sends it.
    if (published === undefined)
      throw new TemplateMissingError(
        `message ${message.key} names template "${message.templateId}", which has no published version; publish it, then redrive this record`,
      );
    const { compiled } = published;
    if (compiled === undefined) {
      return {
        ready: false,
        error: `template "${message.templateId}" version ${published.version} has no compiled HTML; the content seed compiles each template's latest version when it deploys, or publish the template again`,
      };
    }
    const template = { ...published, compiled, ...(subject === undefined ? {} : { subject }) };
    const marketing = message.kind === 'marketing';
    const link = (purpose: 'confirm' | 'unsubscribe' | 'preferences', messageKey?: string) =>
      signedLink(deps.settings, purpose, contact.id, now, messageKey);
    const links = marketing
      ? // The unsubscribe link names its message, so a campaign's report can count who left through it.
        { unsubscribe: link('unsubscribe', message.key), preferences: link('preferences') }
      : { confirm: link('confirm') };
    const wanted = template.recommendations;
    const recommendations =
      wanted === undefined ? undefined : await deps.recommendations.for(contact, now, wanted.limit);
    if (!recommendationsSuffice(wanted, recommendations ?? []))
      return { ready: false, skip: 'nothing-to-recommend' };
    let rendered: RenderedEmail;
    try {
      rendered = await deps.render(template, {
        contact: contactRenderInput(contact, deps.settings.defaultTimeZone),
        ...messageContextOf(message),
        ...(recommendations === undefined ? {} : { recommendations }),
        links,
        postalAddress: deps.settings.postalAddress,
        sender: { name: senderName(deps.settings.sender) },
      });
    } catch (error) {
      return { ready: false, error: `render: ${messageOf(error)}` };
    }
    const headers =
      links.unsubscribe === undefined
        ? []
        : [
            { name: 'List-Unsubscribe', value: `<${links.unsubscribe}>` },
            { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
          ];
    return {
      ready: true,
      recommended: (recommendations?.length ?? 0) > 0,
      send: () =>
        deps.mailer.send({
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
            // SES feedback counts a campaign's delivery, opens and clicks per campaign and variant from these.
            ...(message.campaignId === undefined ? {} : { 'rapport-campaign': message.campaignId }),
            ...(message.campaignId === undefined || message.variant === undefined
              ? {}
              : { 'rapport-variant': message.variant }),
          },
        }),
    };
  },

  isRejection: (error) => error instanceof MailerRejectedError,

  // SES refuses a paused account's sends itself (SendingPausedException), which defers them below;
  // Rapport's own pause holds marketing only, so confirmations still reach people signing up.
  held: async (deps, message) =>
    message.kind === 'marketing' && (await deps.sendingState()).status === 'paused'
      ? 'marketing-paused'
      : undefined,

  rate: (deps) => ({
    key: 'send:email',
    perSecond: deps.settings.emailSendRate,
    slowDown: (message) => new MailerThrottledError(message),
  }),
};

const sms: ChannelDelivery = {
  async blocked(deps, message, contact, now) {
    const phone = contact.phone;
    if (phone === undefined) return 'no-phone';
    if (await deps.suppressions.isSuppressed('sms', phone, now)) return 'suppressed';
    if (message.kind === 'marketing') {
      // SMS consent is for the channel as a whole: no topics.
      const verdict = mayReceiveMarketing(contact.consent.sms.status, [], undefined);
      if (verdict !== 'allowed') return verdict;
    }
    // The carrier's list outranks any consent we hold (a STOP that reached AWS but not us).
    if (await beforeAcceptance(deps, message, () => deps.texter.isOptedOut(phone))) {
      await recordCarrierOptOut(deps, contact.id, now);
      return 'opted-out';
    }
    return undefined;
  },

  async prepare(deps, message, contact) {
    const phone = contact.phone;
    if (phone === undefined) return { ready: false, error: 'the contact has no phone number' };
    if (message.smsBody === undefined) return { ready: false, error: 'the SMS message has no body' };
    let body: string;
    try {
      ({ body } = await renderSms(
        { id: message.templateId, kind: message.kind, body: message.smsBody },
        {
          contact: {
            ...(contact.name === undefined ? {} : { name: contact.name }),
            ...readerCalendar(contact, deps.settings.defaultTimeZone),
          },
          sender: { name: senderName(deps.settings.sender) },
          ...messageContextOf(message),
        },
      ));
    } catch (error) {
      // SmsRenderError and SmsTooLongError: retrying renders the same body again.
      return { ready: false, error: `render: ${messageOf(error)}` };
    }
    const settings = deps.settings.sms;
    return {
      ready: true,
      send: () =>
        deps.texter.send({
          to: phone,
          body,
          smsType: message.kind === 'marketing' ? settings.marketingType : settings.transactionalType,
          ...(settings.senderId === undefined ? {} : { senderId: settings.senderId }),
          ...(settings.originationNumber === undefined
            ? {}
            : { originationNumber: settings.originationNumber }),
          tags: { 'rapport-contact': contact.id, 'rapport-message': message.key },
        }),
    };
  },

  isRejection: (error) => error instanceof TexterRejectedError,

  // SNS accepts texts past the monthly spend limit and drops them, so the limit is read first.
  held: async (deps) => ((await deps.texter.spendLimitReached()) ? 'sms-spend-limit' : undefined),

  rate: (deps) => ({
    key: 'send:sms',
    perSecond: deps.settings.smsSendRate,
    slowDown: (message) => new TexterThrottledError(message),
  }),
};

const channels: Readonly<Record<Channel, ChannelDelivery>> = { email, sms };

/** The contact said STOP to the carrier: our consent record says so too, once. */
const recordCarrierOptOut = async (deps: DeliverDeps, contactId: string, now: Date): Promise<void> => {
  await retryOnConflict(async () => {
    const contact = await deps.contacts.get(contactId);
    if (contact === undefined) return;
    const transition = applyConsentCommand(contact.consent.sms.status, 'unsubscribe');
    if (transition.outcome !== 'changed') return;
    await recordConsentChange(deps, contact, {
      action: 'unsubscribed',
      source: { kind: 'carrier-opt-out' },
      smsStatus: transition.status,
      reason: `on the SNS opted-out list at ${now.toISOString()}`,
    });
  });
};

/** The earliest send any of the channel's caps can still count. */
const capWindowStart = (
  policy: DeliveryPolicy,
  channel: Channel,
  now: Date,
  timeZone: string,
): Date | undefined => {
  const caps = policy[channel]?.caps ?? [];
  if (caps.length === 0) return undefined;
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const zoned = local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' });
  // A day more than the longest window: DST and calendar months never make it shorter than needed.
  const starts = caps.map((cap) => zoned.minus(durationOf(cap.per)).minus({ days: 1 }).toMillis());
  return new Date(Math.min(...starts));
};

type PolicyDecision =
  | { verdict: 'send' }
  | { verdict: 'skip'; reason: SkipReason }
  | { verdict: 'defer'; until: Date; reason: DeferReason };

/** Caps and quiet hours, across journeys; only marketing is ever held back. */
const applyPolicy = async (
  deps: DeliverDeps,
  message: Message,
  contact: Contact,
  now: Date,
): Promise<PolicyDecision> => {
  if (message.kind !== 'marketing') return { verdict: 'send' };
  const policy = await deps.policy();
  if (policy === undefined) return { verdict: 'send' };
  const timeZone = contact.timeZone ?? deps.settings.defaultTimeZone;
  const since = capWindowStart(policy, message.channel, now, timeZone);
  const sentAt = since === undefined ? [] : await deps.outbox.sentSince(contact.id, message.channel, since);
  return checkDelivery(policy, message.channel, { sentAt, now, timeZone });
};

/** `abc` → `abc~d1`, `abc~d1` → `abc~d2`: each deferral of one message gets its own copy. */
export const deferredCopyKey = (key: string): string => {
  const match = /^(.*)~d(\d+)$/.exec(key);
  return match?.[1] === undefined || match[2] === undefined
    ? `${key}~d1`
    : `${match[1]}~d${Number(match[2]) + 1}`;
};

/** The timer whose firing queues the deferred message's copy; derived from the message, so filing twice files one. */
const fileDeferredCopy = async (deps: DeliverDeps, message: Message, now: Date): Promise<void> => {
  if (message.deferredUntil === undefined)
    throw new Error(`deferred message ${message.key} has no deferredUntil`);
  const key = deferredCopyKey(message.key);
  const {
    claimExpiresAt,
    sentAt,
    providerMessageId,
    skipReason,
    error,
    deferredUntil,
    deferReason,
    ...rest
  } = message;
  const timer: MessageTimer = {
    kind: 'message',
    id: `msg#${message.contactId}#${key}`,
    contactId: message.contactId,
    dueAt: deferredUntil,
    message: { ...rest, key, status: 'queued', attempts: 0, createdAt: deferredUntil },
  };
  await deps.deferrals.deferMessage(timer, now);
};

const defer = async (
  deps: DeliverDeps,
  message: Message,
  now: Date,
  decision: { until: Date; reason: DeferReason },
): Promise<DeliveryOutcome> => {
  // Marked first, then filed: a crash in between is repaired by the redelivered record
  // (see deliverMessage); filed first, a redelivery could send now AND the copy later.
  await deps.outbox.markDeferred(
    message.contactId,
    message.key,
    decision,
    deliveryCounters(message, now, { outcome: 'deferred', reason: decision.reason }),
  );
  await fileDeferredCopy(
    deps,
    {
      ...message,
      status: 'deferred',
      deferredUntil: decision.until.toISOString(),
      deferReason: decision.reason,
    },
    now,
  );
  return { outcome: 'deferred', until: decision.until.toISOString(), reason: decision.reason };
};

/** How often a message held by the provider's account (SES paused, the SMS spend limit reached) looks again whether it may go. */
export const sendingPausedRecheckMs = 15 * 60_000;

/** Calls to the provider per message in one invocation when it asks to slow down, before the record is retried. */
const sendAttempts = 5;
const firstBackOffMs = 200;

const isThrottling = (error: unknown): boolean =>
  error instanceof MailerThrottledError || error instanceof TexterThrottledError;

/**
 * Waits for a second of the channel's account rate with room in it, counted for every
 * invocation together (one conditional write a send): SES refuses mail that goes
 * faster, and carriers throttle texts past the origination number's rate.
 */
const waitForSendSlot = async (deps: DeliverDeps, message: Message, giveUpAt: number): Promise<void> => {
  const { key, perSecond, slowDown } = channels[message.channel].rate(deps);
  const rate = { limit: Math.max(1, Math.floor(perSecond)), windowMs: 1000 };
  for (;;) {
    const decision = await deps.rateLimiter.take(key, rate, deps.clock.now());
    if (decision.allowed) return;
    if (deps.clock.now().getTime() + decision.retryAfterMs > giveUpAt)
      throw slowDown(`the account's send rate (${rate.limit}/s) stayed taken`);
    await deps.clock.sleep(decision.retryAfterMs);
  }
};

/**
 * Sends within the account's rate, and when the provider asks to slow down (SES
 * throttling, a 5xx it did not act on) tries again after a growing, jittered pause,
 * all within `sendWaitMs`: neither means the message was accepted, so trying again
 * cannot send it twice.
 */
const sendPaced = async <T>(deps: DeliverDeps, message: Message, send: () => Promise<T>): Promise<T> => {
  const giveUpAt = deps.clock.now().getTime() + deps.settings.sendWaitMs;
  for (let attempt = 1; ; attempt += 1) {
    await waitForSendSlot(deps, message, giveUpAt);
    try {
      return await send();
    } catch (error) {
      const pause = firstBackOffMs * 2 ** (attempt - 1) * (1 + Math.random());
      if (!isThrottling(error) || attempt >= sendAttempts || deps.clock.now().getTime() + pause > giveUpAt)
        throw error;
      await deps.clock.sleep(pause);
    }
  }
};

/** How often a paused campaign's message looks again whether it may go. */
export const campaignPauseRecheckMs = 10 * 60_000;

/**
 * The next look at a paused campaign's message: whole recheck periods after
 * its slot, so messages paced a second apart stay a second apart after a
 * resume, instead of all going out on the first look.
 */
const pausedUntil = (message: Message, now: Date): Date => {
  const slot = Date.parse(message.createdAt);
  const periods = Math.max(1, Math.floor((now.getTime() - slot) / campaignPauseRecheckMs) + 1);
  return new Date(slot + periods * campaignPauseRecheckMs);
};

const sendClaimed = async (deps: DeliverDeps, message: Message, now: Date): Promise<DeliveryOutcome> => {
  const channel = channels[message.channel];
  const contact = await deps.contacts.get(message.contactId);
  if (contact === undefined) return skip(deps, message, now, 'contact-missing');
  if (message.journeyId !== undefined && (await deps.journeys.status(message.journeyId)) === 'archived') {
    return skip(deps, message, now, 'journey-archived');
  }
  let campaignSubject: string | undefined;
  if (message.campaignId !== undefined) {
    const campaign = await deps.campaigns.get(message.campaignId);
    if (campaign === undefined || campaign.status === 'cancelled')
      return skip(deps, message, now, 'campaign-cancelled');
    if (campaign.status === 'paused')
      return defer(deps, message, now, { until: pausedUntil(message, now), reason: 'campaign-paused' });
    campaignSubject = campaign.definition.variants?.find(
      (variant) => variant.id === message.variant,
    )?.subject;
  }
  const blocked = await channel.blocked(deps, message, contact, now);
  if (blocked !== undefined) return skip(deps, message, now, blocked);

  const decision = await applyPolicy(deps, message, contact, now);
  if (decision.verdict === 'skip') return skip(deps, message, now, decision.reason);
  if (decision.verdict === 'defer') return defer(deps, message, now, decision);
  // The account cannot send now: the message waits and looks again, and nothing is dead-lettered.
  const held = await beforeAcceptance(deps, message, () => channel.held(deps, message));
  if (held !== undefined)
    return defer(deps, message, now, {
      until: new Date(now.getTime() + sendingPausedRecheckMs),
      reason: held,
    });

  // A message that cannot be prepared yet (its template is missing) goes back to queued for the retry or redrive.
  const prepared = await beforeAcceptance(deps, message, () =>
    channel.prepare(deps, message, contact, now, campaignSubject),
  );
  if (!prepared.ready) {
    return 'skip' in prepared
      ? skip(deps, message, now, prepared.skip)
      : fail(deps, message, now, prepared.error);
  }

  let providerMessageId: string;
  try {
    ({ providerMessageId } = await sendPaced(deps, message, prepared.send));
  } catch (error) {
    if (channel.isRejection(error)) return fail(deps, message, now, messageOf(error));
    // The number opted out with the carrier after the check: as if the check had found it.
    if (error instanceof TexterOptedOutError) {
      await recordCarrierOptOut(deps, contact.id, now);
      return skip(deps, message, now, 'opted-out');
    }
    // The account may not send at all: the message waits and looks again, and nothing is dead-lettered.
    if (error instanceof MailerPausedError)
      return defer(deps, message, now, {
        until: new Date(now.getTime() + sendingPausedRecheckMs),
        reason: 'sending-paused',
      });
    // Throttling past this invocation's retries, or an unknown failure before the provider
    // accepted: hand the claim back so the retried record can send it.
    await deps.outbox.release(message.contactId, message.key);
    throw error;
  }
  // The provider has it now. If recording that fails, the claim is NOT released: the
  // lease keeps a retry from sending it again (see docs/architecture.md). The status goes
  // alone, one conditional write: every millisecond between the provider's answer and it
  // is a window in which a crash sends the message twice, so the counters come after.
  const sentAt = deps.clock.now();
  await deps.outbox.markSent(message.contactId, message.key, { providerMessageId, sentAt });
  await countSent(deps, message, sentAt);
  if (prepared.recommended === true) await deps.recommendations.remember(contact.id, now);
  return { outcome: 'sent', providerMessageId };
};

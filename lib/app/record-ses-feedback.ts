import type { ConsentEntry } from '../domain/consent-entry.js';
import { normalizeEmail } from '../domain/contact.js';
import { countMarkAt } from '../domain/counter-increment.js';
import { engagementInstant } from '../domain/engagement.js';
import type { ReputationThresholds } from '../domain/reputation.js';
import type { SesEventType, SesNotification } from '../domain/ses-notification.js';
import { SesTag, sesTagValue } from '../domain/ses-notification.js';
import {
  softBounceExpiresAt,
  softBounceNote,
  softBounceVerdict,
  softBounceWindowStart,
} from '../domain/soft-bounce-policy.js';
import { campaignScopes, metricKey, statsScope } from '../domain/stats-keys.js';
import type { ClickLog } from '../ports/click-log.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { SendingStateStore } from '../ports/sending-state-store.js';
import type { SoftBounceLog } from '../ports/soft-bounce-log.js';
import type { StatsStore } from '../ports/stats-store.js';
import {
  type Suppression,
  type SuppressionRecord,
  type SuppressionStore,
  suppressionInForce,
} from '../ports/suppression-store.js';
import { guardReputation } from './marketing-email-pause.js';
import { recordEngagement } from './record-engagement.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface RecordSesFeedbackDeps {
  suppressions: SuppressionStore;
  /** Soft bounces per address, counted toward a temporary suppression. */
  softBounces: SoftBounceLog;
  contacts: ContactStore;
  stats: Pick<StatsStore, 'countOnce' | 'read'>;
  ids: IdGenerator;
  /** Paused by the guard when a bounce or complaint takes a rate past its critical threshold. */
  sendingState: SendingStateStore;
  /** Where clicks are kept for attributing purchases, and for how long (days). */
  clicks: ClickLog;
  settings: {
    attributionWindowDays: number;
    reputation: ReputationThresholds;
    /** Whether an open is engagement (ENGAGEMENT_COUNTS_OPENS); absent, it is, as by default. */
    engagementCountsOpens?: boolean;
  };
}

/** The SNS notification an SES event came in: its MessageId, which SNS keeps on every redelivery. */
export interface SesFeedbackSource {
  notificationId: string;
}

/** What happened, for the handler's log line. */
export interface SesFeedbackSummary {
  eventType: SesEventType;
  /** Normalized addresses suppressed by this notification (not those suppressed before). */
  suppressed: string[];
  /** `<scope>/<metric>` of every counter incremented. */
  counted: string[];
  /** This event took a rate past its critical threshold, and marketing email is now paused. */
  pausedMarketing: boolean;
}

/** The stats metric of each event type; also the list of what the email scope can show. */
export const sesEventMetric: Readonly<Record<SesEventType, string>> = {
  Bounce: 'bounce',
  Complaint: 'complaint',
  Delivery: 'delivery',
  Send: 'send',
  Reject: 'reject',
  Open: 'open',
  Click: 'click',
  RenderingFailure: 'rendering-failure',
  DeliveryDelay: 'delivery-delay',
  Subscription: 'subscription',
};

type Candidate = Pick<Suppression, 'address' | 'reason' | 'until' | 'detail'>;

/**
 * Applies one SES feedback event: permanent bounces and complaints suppress the
 * address (and say so on the contact's consent log), soft bounces count toward a
 * temporary suppression (see `lib/domain/soft-bounce-policy.ts`), every event counts.
 *
 * At least once: SNS may deliver a notification twice, even at once. A suppression
 * already on record is neither written nor logged again, and the counters are added
 * in one transaction with a mark keyed on the notification's id, so a redelivery
 * counts nothing (`counted` is then empty).
 */
export const recordSesFeedback = async (
  deps: RecordSesFeedbackDeps,
  notification: SesNotification,
  source: SesFeedbackSource,
  now: Date,
): Promise<SesFeedbackSummary> => {
  const suppressed: string[] = [];
  for (const candidate of suppressionCandidates(notification)) {
    // A suppression for good stands; a temporary one gives way to it.
    if (suppressedForGood(await deps.suppressions.find('email', candidate.address))) continue;
    await suppress(deps, candidate, now);
    suppressed.push(candidate.address);
  }
  suppressed.push(...(await countSoftBounces(deps, notification, now)));
  if (notification.eventType === 'Click')
    await recordClick(deps, notification, notification.click.timestamp, now);
  await recordOpenOrClick(deps, notification, now);
  // Counted last: a suppression that failed is retried with the notification, which then counts.
  const counted = await count(deps, notification, source, now);
  // Judged again on a redelivery too: a check that failed after the counters were
  // written is made by the retry, which counts nothing new.
  const pausedMarketing =
    notification.eventType === 'Bounce' || notification.eventType === 'Complaint'
      ? (
          await guardReputation(
            {
              stats: deps.stats,
              sending: deps.sendingState,
              ids: deps.ids,
              thresholds: deps.settings.reputation,
            },
            now,
          )
        ).paused
      : false;
  return { eventType: notification.eventType, suppressed, counted, pausedMarketing };
};

const suppressedForGood = (record: SuppressionRecord | undefined): boolean =>
  record !== undefined && record.until === undefined;

const suppress = async (deps: RecordSesFeedbackDeps, candidate: Candidate, now: Date): Promise<void> => {
  // Logged before the suppression is written: a crash in between replays as a
  // second log line, never as a suppression the contact's log does not show.
  await logOnContact(deps, candidate, now);
  await deps.suppressions.suppress({ channel: 'email', ...candidate, at: now.toISOString() });
};

/** Each bounced recipient once, normalized, with SES's subtype and diagnostic as the detail. */
const bouncedRecipients = (
  bounce: Extract<SesNotification, { eventType: 'Bounce' }>['bounce'],
): Array<{ address: string; detail: string }> => {
  const seen = new Set<string>();
  return bounce.bouncedRecipients.flatMap((recipient) => {
    const address = normalizeEmail(recipient.emailAddress);
    if (address === '' || seen.has(address)) return [];
    seen.add(address);
    const detail = [bounce.bounceSubType, recipient.diagnosticCode]
      .filter((part) => part !== undefined && part !== '')
      .join(': ');
    return [{ address, detail }];
  });
};

/**
 * Counts a soft bounce for each recipient, and suppresses for a while each address
 * the soft-bounce policy says to rest; the addresses suppressed. An Undetermined
 * bounce counts as a soft one: SES could not tell why the mail failed, which proves
 * nothing for good, yet an address that keeps failing is worth resting all the same.
 *
 * Each bounce is keyed on SES's id of the mail, so a redelivered notification counts
 * once. An address suppressed already is not counted: its count starts over when it
 * is tried again.
 */
const countSoftBounces = async (
  deps: RecordSesFeedbackDeps,
  notification: SesNotification,
  now: Date,
): Promise<string[]> => {
  if (notification.eventType !== 'Bounce' || notification.bounce.bounceType === 'Permanent') return [];
  const suppressed: string[] = [];
  for (const { address, detail } of bouncedRecipients(notification.bounce)) {
    const record = await deps.suppressions.find('email', address);
    if (record !== undefined && suppressionInForce(record, now)) continue;
    await deps.softBounces.record(
      address,
      { mailId: notification.mail.messageId, at: now.toISOString() },
      softBounceExpiresAt(now),
    );
    const bounces = await deps.softBounces.since(address, softBounceWindowStart(now));
    const verdict = softBounceVerdict(
      bounces.map((bounce) => bounce.at),
      now,
      record?.until,
    );
    if (!verdict.suppress) continue;
    await suppress(deps, { address, reason: 'soft-bounce', until: verdict.until, detail }, now);
    suppressed.push(address);
  }
  return suppressed;
};

const suppressionCandidates = (notification: SesNotification): Candidate[] => {
  const candidates: Candidate[] = [];
  if (notification.eventType === 'Bounce') {
    // A full mailbox or a greylisting server is not a dead address; only a permanent bounce is.
    if (notification.bounce.bounceType !== 'Permanent') return [];
    for (const { address, detail } of bouncedRecipients(notification.bounce))
      candidates.push({ address, reason: 'bounce', detail });
  } else if (notification.eventType === 'Complaint') {
    const detail = notification.complaint.complaintFeedbackType;
    for (const recipient of notification.complaint.complainedRecipients) {
      candidates.push({
        address: normalizeEmail(recipient.emailAddress),
        reason: 'complaint',
        ...(detail === undefined ? {} : { detail }),
      });
    }
  }
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    if (candidate.address === '' || seen.has(candidate.address)) return false;
    seen.add(candidate.address);
    return true;
  });
};

const logOnContact = async (deps: RecordSesFeedbackDeps, candidate: Candidate, now: Date): Promise<void> => {
  const contactId = await deps.contacts.findIdByEmail(candidate.address);
  if (contactId === undefined) return;
  const at = now.toISOString();
  await retryOnConflict(async () => {
    const contact = await deps.contacts.get(contactId);
    if (contact === undefined) return;
    const entry: ConsentEntry = {
      id: deps.ids.next(),
      contactId,
      at,
      channel: 'email',
      action: 'suppressed',
      topics: contact.topics,
      source: { kind: 'ses-feedback' },
      reason: candidate.until === undefined ? candidate.reason : softBounceNote(candidate.until),
    };
    await deps.contacts.update({
      contact: { ...contact, updatedAt: at, version: contact.version + 1 },
      expectedVersion: contact.version,
      consent: [entry],
      events: [],
      messages: [],
    });
  }, 3);
};

/**
 * An open or a click is engagement: `lastEngagedAt` moves to the event's own time.
 * A write of its own, skipped while the stored date is within the hour (a
 * newsletter's opens would otherwise rewrite the profile again and again).
 */
const recordOpenOrClick = async (
  deps: RecordSesFeedbackDeps,
  notification: SesNotification,
  now: Date,
): Promise<void> => {
  const at =
    notification.eventType === 'Click'
      ? notification.click.timestamp
      : notification.eventType === 'Open' && deps.settings.engagementCountsOpens !== false
        ? (notification.open?.timestamp ?? notification.mail.timestamp)
        : undefined;
  const contactId = sesTagValue(notification.mail, SesTag.contact);
  if (at === undefined || contactId === undefined) return;
  await recordEngagement(deps, contactId, engagementInstant(at, now), now);
};

/** A click on a journey's mail, kept so a purchase soon after can be credited to that message. */
const recordClick = async (
  deps: RecordSesFeedbackDeps,
  notification: SesNotification,
  clickedAt: string,
  now: Date,
) => {
  const contactId = sesTagValue(notification.mail, SesTag.contact);
  const messageId = sesTagValue(notification.mail, SesTag.message);
  if (contactId === undefined || messageId === undefined) return;
  const journeyId = sesTagValue(notification.mail, SesTag.journey);
  const campaignId = sesTagValue(notification.mail, SesTag.campaign);
  const variant = sesTagValue(notification.mail, SesTag.variant);
  await deps.clicks.record(
    contactId,
    {
      messageId,
      ...(journeyId === undefined ? {} : { journeyId }),
      ...(campaignId === undefined ? {} : { campaignId }),
      ...(campaignId === undefined || variant === undefined ? {} : { variant }),
      clickedAt: new Date(clickedAt).toISOString(),
    },
    Math.ceil(Math.max(now.getTime(), Date.parse(clickedAt)) / 1000) +
      deps.settings.attributionWindowDays * 86_400,
  );
};

const count = async (
  deps: RecordSesFeedbackDeps,
  notification: SesNotification,
  source: SesFeedbackSource,
  now: Date,
): Promise<string[]> => {
  const day = now.toISOString().slice(0, 'YYYY-MM-DD'.length);
  const metric = metricKey({ kind: 'ses', event: sesEventMetric[notification.eventType] });
  const journeyId = sesTagValue(notification.mail, SesTag.journey);
  const scopes = [
    statsScope.email,
    ...(journeyId === undefined ? [] : [statsScope.journey(journeyId)]),
    ...campaignScopesOf(notification),
  ];
  const outcome = await deps.stats.countOnce(
    countMarkAt(sesNotificationMarkId(source.notificationId), now),
    scopes.map((scope) => ({ scope, day, metric, by: 1 })),
  );
  return outcome === 'counted' ? scopes.map((scope) => `${scope}/${metric}`) : [];
};

/** The count mark of an SNS notification (its MessageId), apart from every other kind of counted source. */
export const sesNotificationMarkId = (notificationId: string): string => `ses#${notificationId}`;

/** A campaign's mail counts under the campaign and again under its variant, as deliver counts it. */
const campaignScopesOf = (notification: SesNotification): string[] => {
  const campaignId = sesTagValue(notification.mail, SesTag.campaign);
  return campaignId === undefined
    ? []
    : campaignScopes(campaignId, sesTagValue(notification.mail, SesTag.variant));
};

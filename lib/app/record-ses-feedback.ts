import type { ConsentEntry } from '../domain/consent-entry.js';
import { normalizeEmail } from '../domain/contact.js';
import { countMarkAt } from '../domain/counter-increment.js';
import type { SesEventType, SesNotification } from '../domain/ses-notification.js';
import { SesTag, sesTagValue } from '../domain/ses-notification.js';
import { campaignScopes, metricKey, statsScope } from '../domain/stats-keys.js';
import type { ClickLog } from '../ports/click-log.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { IdGenerator } from '../ports/id-generator.js';
import type { StatsStore } from '../ports/stats-store.js';
import type { Suppression, SuppressionStore } from '../ports/suppression-store.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface RecordSesFeedbackDeps {
  suppressions: SuppressionStore;
  contacts: ContactStore;
  stats: Pick<StatsStore, 'countOnce'>;
  ids: IdGenerator;
  /** Where clicks are kept for attributing purchases, and for how long (days). */
  clicks: ClickLog;
  settings: { attributionWindowDays: number };
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

type Candidate = Pick<Suppression, 'address' | 'reason' | 'detail'>;

/**
 * Applies one SES feedback event: permanent bounces and complaints suppress the
 * address (and say so on the contact's consent log), every event counts.
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
    if (await deps.suppressions.isSuppressed('email', candidate.address)) continue;
    // Logged before the suppression is written: a crash in between replays as a
    // second log line, never as a suppression the contact's log does not show.
    await logOnContact(deps, candidate, now);
    await deps.suppressions.suppress({ channel: 'email', ...candidate, at: now.toISOString() });
    suppressed.push(candidate.address);
  }
  if (notification.eventType === 'Click')
    await recordClick(deps, notification, notification.click.timestamp, now);
  // Counted last: a suppression that failed is retried with the notification, which then counts.
  const counted = await count(deps, notification, source, now);
  return { eventType: notification.eventType, suppressed, counted };
};

const suppressionCandidates = (notification: SesNotification): Candidate[] => {
  const candidates: Candidate[] = [];
  if (notification.eventType === 'Bounce') {
    // A full mailbox or a greylisting server is not a dead address; only a permanent bounce is.
    if (notification.bounce.bounceType !== 'Permanent') return [];
    for (const recipient of notification.bounce.bouncedRecipients) {
      const detail = [notification.bounce.bounceSubType, recipient.diagnosticCode]
        .filter((part) => part !== undefined && part !== '')
        .join(': ');
      candidates.push({ address: normalizeEmail(recipient.emailAddress), reason: 'bounce', detail });
    }
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
      reason: candidate.reason,
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

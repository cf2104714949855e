import {
  type CampaignRecipient,
  campaignMessageKey,
  defaultCampaignSendRate,
  type SavedCampaign,
} from '../domain/campaign.js';
import {
  campaignGroup,
  campaignVariant,
  inTestShare,
  scheduleStart,
  sendSlot,
} from '../domain/campaign-plan.js';
import { mayReceiveMarketing } from '../domain/consent.js';
import type { Contact } from '../domain/contact.js';
import { durationOf } from '../domain/durations.js';
import type { JobPacing, JourneyJob } from '../domain/journey-job.js';
import type { Message } from '../domain/message.js';
import { matcherFor } from '../domain/segment-condition.js';
import { metricKey, statsScope } from '../domain/stats-keys.js';
import type { MessageTimer } from '../domain/timer.js';
import type { CampaignRecipientStore, CampaignStore } from '../ports/campaign-store.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { JourneyJobStore } from '../ports/journey-job-store.js';
import type { Page } from '../ports/page.js';
import type { SegmentStore } from '../ports/segment-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import type { MessageDeferrals } from '../ports/timer-store.js';
import { inParallel } from './in-parallel.js';
import type { ItemOutcome, WalkStep } from './walk-step.js';

/**
 * The campaign jobs (docs/campaigns.md): `campaign-launch` freezes the audience
 * and files each message's timer at its send slot, `campaign-winner` picks an
 * A/B test's winner after its window and queues the held recipients with it,
 * `campaign-finish` marks the campaign sent. Each is planned here; the
 * journey-jobs runner walks, finishes, fails or postpones as planned.
 */

export interface CampaignJobDeps {
  jobs: Pick<JourneyJobStore, 'listForSubject'>;
  contacts: Pick<ContactStore, 'page'>;
  segments: Pick<SegmentStore, 'get'>;
  campaigns: Pick<CampaignStore, 'get' | 'update'>;
  campaignRecipients: CampaignRecipientStore;
  /** Where each message's timer is filed: the wheel's message timers, as deliver defers. */
  deferrals: MessageDeferrals;
  stats: StatsStore;
  clock: Clock;
  settings: {
    defaultTimeZone: string;
    /** Messages a second when the campaign names no `sendRate` (CAMPAIGN_SEND_RATE). */
    campaignSendRate?: number;
  };
}

/** How a campaign job walks its list, counting the messages it queues so every slot is paced. */
export type CampaignWalk<T> = WalkStep<T> & {
  page: (job: JourneyJob, limit: number) => Promise<Page<T>>;
  /** The pacing after the items applied so far, saved with each page. */
  pacing: () => JobPacing;
};

/** A launch page's recipient and timer writes in flight at once (their decisions are made in walk order first). */
export const launchWritesInFlight = 16;

export type CampaignJobPlan<T> =
  | { kind: 'walk'; walk: CampaignWalk<T> }
  | { kind: 'finish' }
  | { kind: 'fail'; error: string }
  /** Not yet: run again at `until` (a winner waiting for its window, a paused campaign). */
  | { kind: 'postpone'; until: Date };

/** How often a job of a paused campaign, or one waiting for the launch to finish, looks again. */
export const campaignRecheckMs = 60_000;

const over = (campaign: SavedCampaign | undefined): boolean =>
  campaign === undefined || campaign.status === 'cancelled' || campaign.status === 'sent';

/** The message a recipient is sent, as the timer will write it to the outbox at its slot. */
export const campaignMessage = (
  campaign: SavedCampaign,
  contactId: string,
  variantId: string | undefined,
  sendAt: string,
): Message => {
  const { definition } = campaign;
  const variant = definition.variants?.find((candidate) => candidate.id === variantId);
  const { channel } = definition;
  return {
    contactId,
    key: campaignMessageKey(definition.id),
    channel: channel.kind,
    kind: 'marketing',
    // SMS has no template: the campaign names the message in reports, as a journey's node does.
    templateId: channel.kind === 'email' ? (variant?.templateId ?? channel.templateId) : definition.id,
    ...(channel.kind === 'sms' ? { smsBody: variant?.body ?? channel.body } : {}),
    ...(definition.audience.topic === undefined ? {} : { topic: definition.audience.topic }),
    campaignId: definition.id,
    ...(variantId === undefined ? {} : { variant: variantId }),
    status: 'queued',
    createdAt: sendAt,
    attempts: 0,
  };
};

/** Files the recipient's message timer; the same recipient always files the same timer, at its stored slot. */
const fileMessage = async (
  deps: CampaignJobDeps,
  campaign: SavedCampaign,
  recipient: CampaignRecipient,
): Promise<void> => {
  const message = campaignMessage(campaign, recipient.contactId, recipient.variant, recipient.sendAt);
  const timer: MessageTimer = {
    kind: 'message',
    id: `msg#${recipient.contactId}#${message.key}`,
    contactId: recipient.contactId,
    dueAt: recipient.sendAt,
    message,
  };
  await deps.deferrals.deferMessage(timer, deps.clock.now());
};

const rateOf = (deps: CampaignJobDeps, campaign: SavedCampaign): number =>
  campaign.definition.sendRate ?? deps.settings.campaignSendRate ?? defaultCampaignSendRate;

/** A pacing counter that starts where the job's saved cursor left it. */
const pacer = (job: JourneyJob) => {
  let state: JobPacing = job.pacing ?? { queued: 0 };
  return {
    /** The slot of the message `ahead` places after the next one (a page decided before it is written). */
    next: (start: Date, rate: number, ahead = 0): string =>
      sendSlot(start, state.queued + ahead, rate).toISOString(),
    count: (sendAt: string) => {
      const last = state.lastSendAt;
      state = {
        queued: state.queued + 1,
        lastSendAt: last === undefined || last < sendAt ? sendAt : last,
      };
    },
    current: (): JobPacing => state,
  };
};

/** Whether the contact can be mailed (or texted) on the campaign's channel now; checked again at send time. */
const reachable = (campaign: SavedCampaign, contact: Contact): boolean => {
  const { channel, audience } = campaign.definition;
  if (channel.kind === 'sms')
    return contact.phone !== undefined && contact.consent.sms.status === 'subscribed';
  return mayReceiveMarketing(contact.consent.email.status, contact.topics, audience.topic) === 'allowed';
};

export const planCampaignLaunch = async (
  deps: CampaignJobDeps,
  job: JourneyJob,
  work: { campaignId: string; at: string },
): Promise<CampaignJobPlan<Contact>> => {
  const campaign = await deps.campaigns.get(work.campaignId);
  if (campaign === undefined || over(campaign)) return { kind: 'finish' };
  const { definition } = campaign;
  const segment = await deps.segments.get(definition.audience.segmentId);
  if (segment === undefined)
    return {
      kind: 'fail',
      error: `segment "${definition.audience.segmentId}" was deleted before the launch`,
    };
  const launchedAt = new Date(work.at);
  // The audience is the segment as of the launch, however long the walk takes.
  const isMember = matcherFor(segment.condition, launchedAt);
  const rate = rateOf(deps, campaign);
  const pacing = pacer(job);
  const day = launchedAt.toISOString().slice(0, 10);
  /** Who of the contact becomes a recipient, with the slot they get if they are queued `ahead` places after the next. */
  const decide = (contact: Contact, ahead: number): CampaignRecipient | undefined => {
    if (!isMember(contact) || !reachable(campaign, contact)) return undefined;
    const group = campaignGroup(definition, contact.id);
    const queued = group === 'treatment' && inTestShare(definition, contact.id);
    const timeZone = contact.timeZone ?? deps.settings.defaultTimeZone;
    const start = scheduleStart(definition.schedule, launchedAt, timeZone);
    const variant = queued ? campaignVariant(definition, contact.id) : undefined;
    return {
      campaignId: definition.id,
      contactId: contact.id,
      group,
      ...(variant === undefined ? {} : { variant }),
      ...(definition.schedule.kind === 'local' ? { timeZone } : {}),
      held: group === 'treatment' && !queued,
      sendAt: queued ? pacing.next(start, rate, ahead) : start.toISOString(),
      frozenAt: work.at,
    };
  };
  /** The recipient as stored (a page done again finds the one it wrote: its slot and variant stand), its timer filed. */
  const write = async (fresh: CampaignRecipient) => {
    const added = await deps.campaignRecipients.add(fresh);
    const recipient = added
      ? fresh
      : ((await deps.campaignRecipients.get(definition.id, fresh.contactId)) ?? fresh);
    if (queuedNow(recipient)) await fileMessage(deps, campaign, recipient);
    return { recipient, added };
  };
  return {
    kind: 'walk',
    walk: {
      page: (state, limit) => deps.contacts.page(state.cursor, limit),
      pacing: pacing.current,
      applyPage: async (contacts) => {
        // Every decision in walk order first: the slots follow the list, so a page done again gets the same ones.
        let ahead = 0;
        const decided = contacts.map((contact) => {
          const fresh = decide(contact, ahead);
          if (fresh !== undefined && queuedNow(fresh)) ahead += 1;
          return fresh;
        });
        const fresh = decided.filter((recipient) => recipient !== undefined);
        // Then the writes side by side; each settles, so the members written are counted even if one fails.
        const written = await inParallel(fresh, launchWritesInFlight, (recipient) =>
          write(recipient).then(
            (done): Written => ({ ok: true, ...done }),
            (error: unknown): Written => ({ ok: false, error }),
          ),
        );
        const stored = new Map<string, { recipient: CampaignRecipient; added: boolean }>();
        for (const outcome of written) if (outcome.ok) stored.set(outcome.recipient.contactId, outcome);
        await countMembers(
          deps,
          [...stored.values()].filter(({ added }) => added).map(({ recipient }) => recipient),
          day,
        );
        const failed = written.find((outcome) => !outcome.ok);
        if (failed !== undefined) throw failed.error;
        return decided.map((decision): ItemOutcome => {
          const done = decision === undefined ? undefined : stored.get(decision.contactId);
          if (done === undefined) return 'unchanged';
          if (queuedNow(done.recipient)) pacing.count(done.recipient.sendAt);
          return done.added ? 'changed' : 'unchanged';
        });
      },
    },
  };
};

/** A launch page's write of one recipient: stored (now, or before) with its timer, or what stopped it. */
type Written = { ok: true; recipient: CampaignRecipient; added: boolean } | { ok: false; error: unknown };

/** A treatment recipient not held for an A/B winner: its message is queued. */
const queuedNow = (recipient: CampaignRecipient): boolean =>
  recipient.group === 'treatment' && !recipient.held;

/**
 * Recipients per group, in total and per variant: what the campaign report
 * divides by. One increment per counter for the whole page, not one per recipient.
 */
const countMembers = async (deps: CampaignJobDeps, recipients: readonly CampaignRecipient[], day: string) => {
  const counters = new Map<string, { scope: string; metric: string; by: number }>();
  const add = (scope: string, metric: string) => {
    const key = `${scope}\u0000${metric}`;
    const counter = counters.get(key) ?? { scope, metric, by: 0 };
    counters.set(key, { ...counter, by: counter.by + 1 });
  };
  for (const recipient of recipients) {
    const metric = metricKey({ kind: 'group', metric: 'members', group: recipient.group });
    add(statsScope.campaign(recipient.campaignId), metric);
    if (recipient.variant !== undefined)
      add(statsScope.campaignVariant(recipient.campaignId, recipient.variant), metric);
  }
  await Promise.all(
    [...counters.values()].map(({ scope, metric, by }) => deps.stats.increment(scope, day, metric, by)),
  );
};

/** The other campaign jobs of the same campaign, e.g. the launch a winner waits for. */
const launchJobOf = async (deps: CampaignJobDeps, job: JourneyJob): Promise<JourneyJob | undefined> =>
  (await deps.jobs.listForSubject(job.subject)).find((other) => other.work.kind === 'campaign-launch');

const daysBetween = (from: Date, to: Date): string[] => {
  const days: string[] = [];
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  // A year of daily counters at most: a longer test window reads the first year.
  while (cursor <= to && days.length < 366) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
};

/**
 * The variant with the best rate: clicks (SES's `click`, counted per variant by
 * ses-feedback) or goals per message sent, over every day since the launch. A
 * tie, or no sends at all, goes to the variant listed first.
 */
export const pickWinner = async (
  deps: Pick<CampaignJobDeps, 'stats'>,
  campaign: SavedCampaign,
  now: Date,
): Promise<string | undefined> => {
  const { definition } = campaign;
  const variants = definition.variants ?? [];
  const metric = definition.abTest?.metric ?? 'click-rate';
  const wanted =
    metric === 'click-rate'
      ? metricKey({ kind: 'ses', event: 'click' })
      : metricKey({ kind: 'group', metric: 'goal', group: 'treatment' });
  const sentKey = metricKey({ kind: 'delivery', delivery: { outcome: 'sent' } });
  const days = daysBetween(new Date(campaign.launchedAt ?? campaign.createdAt), now);
  let best: { id: string; rate: number } | undefined;
  for (const variant of variants) {
    let sent = 0;
    let hits = 0;
    for (const day of days) {
      const counters = await deps.stats.read(statsScope.campaignVariant(definition.id, variant.id), day);
      sent += counters[sentKey] ?? 0;
      hits += counters[wanted] ?? 0;
    }
    const rate = sent === 0 ? 0 : hits / sent;
    if (best === undefined || rate > best.rate) best = { id: variant.id, rate };
  }
  return best?.id;
};

export const planCampaignWinner = async (
  deps: CampaignJobDeps,
  job: JourneyJob,
  work: { campaignId: string },
): Promise<CampaignJobPlan<CampaignRecipient>> => {
  const now = deps.clock.now();
  let campaign = await deps.campaigns.get(work.campaignId);
  if (campaign === undefined || over(campaign) || campaign.definition.abTest === undefined)
    return { kind: 'finish' };
  // The window runs from the test share's last send, which only the finished launch knows.
  const launch = await launchJobOf(deps, job);
  if (launch === undefined) return { kind: 'fail', error: 'the campaign has no launch job' };
  if (launch.status === 'pending')
    return { kind: 'postpone', until: new Date(now.getTime() + campaignRecheckMs) };
  const lastSend = new Date(launch.pacing?.lastSendAt ?? launch.finishedAt ?? launch.updatedAt);
  const windowEnds = new Date(
    lastSend.getTime() + durationOf(campaign.definition.abTest.window).as('milliseconds'),
  );
  if (windowEnds > now) return { kind: 'postpone', until: windowEnds };
  if (campaign.status === 'paused')
    return { kind: 'postpone', until: new Date(now.getTime() + campaignRecheckMs) };
  if (campaign.winner === undefined) {
    const winner = await pickWinner(deps, campaign, now);
    if (winner === undefined) return { kind: 'finish' };
    campaign = await deps.campaigns.update(campaign.definition.id, { winner }, now, campaign.version);
  }
  const chosen = campaign;
  const winner = chosen.winner;
  if (winner === undefined) return { kind: 'finish' };
  const { definition } = chosen;
  // The held share starts when the window ends (at its `local` time, if that is still ahead): the same on every run.
  const startsAt = windowEnds;
  const rate = rateOf(deps, chosen);
  const pacing = pacer(job);
  return {
    kind: 'walk',
    walk: {
      page: (state, limit) => deps.campaignRecipients.page(definition.id, state.cursor, limit),
      pacing: pacing.current,
      apply: async (recipient) => {
        // The test share went out at launch; control is never sent.
        if (recipient.group === 'control' || inTestShare(definition, recipient.contactId)) return 'unchanged';
        let current = recipient;
        let released = false;
        if (recipient.held) {
          const sendAt = pacing.next(
            scheduleStart(definition.schedule, startsAt, recipient.timeZone ?? deps.settings.defaultTimeZone),
            rate,
          );
          released = await deps.campaignRecipients.release(
            definition.id,
            recipient.contactId,
            winner,
            sendAt,
          );
          current = released
            ? { ...recipient, held: false, variant: winner, sendAt }
            : ((await deps.campaignRecipients.get(definition.id, recipient.contactId)) ?? recipient);
          // A member of the winner's variant from now on (the campaign counted them at the launch),
          // on the launch day, where its sends, goals and conversions are reported.
          if (released)
            await deps.stats.increment(
              statsScope.campaignVariant(definition.id, winner),
              recipient.frozenAt.slice(0, 10),
              metricKey({ kind: 'group', metric: 'members', group: 'treatment' }),
            );
        }
        if (current.held) return 'unchanged';
        await fileMessage(deps, chosen, current);
        pacing.count(current.sendAt);
        return released ? 'changed' : 'unchanged';
      },
    },
  };
};

/**
 * Sent once the last message is due and the launch (and winner) are done; until
 * then, and while paused, it looks again later. Returns the plan's outcome; the
 * status change is its own work.
 */
export const settleCampaignFinish = async (
  deps: CampaignJobDeps,
  job: JourneyJob,
  work: { campaignId: string },
): Promise<CampaignJobPlan<never>> => {
  const now = deps.clock.now();
  const campaign = await deps.campaigns.get(work.campaignId);
  if (campaign === undefined || over(campaign)) return { kind: 'finish' };
  const recheck = { kind: 'postpone', until: new Date(now.getTime() + campaignRecheckMs) } as const;
  if (campaign.status === 'paused') return recheck;
  const others = (await deps.jobs.listForSubject(job.subject)).filter((other) => other.id !== job.id);
  if (others.some((other) => other.status === 'pending')) return recheck;
  const lastSend = others
    .map((other) => other.pacing?.lastSendAt)
    .filter((at) => at !== undefined)
    .sort()
    .at(-1);
  if (lastSend !== undefined && Date.parse(lastSend) > now.getTime())
    return { kind: 'postpone', until: new Date(lastSend) };
  await deps.campaigns.update(campaign.definition.id, { status: 'sent' }, now, campaign.version);
  return { kind: 'finish' };
};

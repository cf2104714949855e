import {
  type CampaignAudienceChunk,
  type CampaignRecipient,
  campaignMessageKey,
  defaultCampaignSendRate,
  type SavedCampaign,
} from '../domain/campaign.js';
import {
  campaignGroup,
  campaignVariant,
  inTestShare,
  nextPacedSlot,
  type Pace,
  scheduleStart,
} from '../domain/campaign-plan.js';
import { mayReceiveMarketing } from '../domain/consent.js';
import type { Contact } from '../domain/contact.js';
import { durationOf } from '../domain/durations.js';
import { ConcurrentUpdateError } from '../domain/errors.js';
import type { JobCursor, JobPacing, JourneyJob } from '../domain/journey-job.js';
import type { Message } from '../domain/message.js';
import { matcherFor } from '../domain/segment-condition.js';
import { metricKey, statsScope } from '../domain/stats-keys.js';
import type { CampaignAudienceStore, CampaignStore } from '../ports/campaign-store.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { JourneyJobStore } from '../ports/journey-job-store.js';
import type { Outbox } from '../ports/outbox.js';
import type { Page } from '../ports/page.js';
import type { SegmentStore } from '../ports/segment-store.js';
import type { StatsStore } from '../ports/stats-store.js';
import { inParallel } from './in-parallel.js';
import type { ItemOutcome, WalkStep } from './walk-step.js';

/**
 * The campaign jobs (docs/campaigns.md): `campaign-launch` freezes the
 * audience, `campaign-send` writes each message to the outbox at its paced slot
 * (an A/B test's `rest` after picking the winner), `campaign-finish` marks the
 * campaign sent. Each is planned here; the journey-jobs runner walks, sends,
 * finishes, fails or postpones as planned.
 */

export interface CampaignJobDeps {
  jobs: Pick<JourneyJobStore, 'listForSubject'>;
  contacts: Pick<ContactStore, 'page'>;
  segments: Pick<SegmentStore, 'get'>;
  campaigns: Pick<CampaignStore, 'get' | 'update'>;
  campaignAudience: CampaignAudienceStore;
  /** Where each message is written at its slot, for deliver to send from the stream. */
  outbox: Pick<Outbox, 'enqueue'>;
  stats: StatsStore;
  clock: Clock;
  settings: {
    defaultTimeZone: string;
    /** Messages a second when the campaign names no `sendRate` (CAMPAIGN_SEND_RATE). */
    campaignSendRate?: number;
  };
}

/** How a campaign's launch walks the contacts. */
export type CampaignWalk<T> = WalkStep<T> & {
  page: (job: JourneyJob, limit: number) => Promise<Page<T>>;
  /** Items per page when the run sets none: a launch page is one chunk per start and one counter write each. */
  pageSize?: number;
};

/** What one step of a paced send did, and where it stopped. */
export interface SendProgress {
  /** Members looked at (whatever share they are in), and messages written now. */
  seen: number;
  written: number;
  cursor: JobCursor;
  pacing: JobPacing;
  /** Every chunk is done. */
  done: boolean;
  /** The next member's slot is still ahead: go on then. */
  wakeAt?: Date;
}

/** One step of a paced send: the messages due now, `limit` members looked at at most. */
export type CampaignSendStep = (job: JourneyJob, limit: number) => Promise<SendProgress>;

export type CampaignJobPlan<T> =
  | { kind: 'walk'; walk: CampaignWalk<T> }
  | { kind: 'send'; step: CampaignSendStep }
  | { kind: 'finish' }
  | { kind: 'fail'; error: string }
  /** Not yet: run again at `until` (a send waiting for the launch, a window, a paused campaign). */
  | { kind: 'postpone'; until: Date };

/** How often a job of a paused campaign, or a rest share waiting for its test, looks again. */
export const campaignRecheckMs = 60_000;

/** How often a send looks whether its launch is done. */
export const launchRecheckMs = 2_000;

/** A launch's contacts per page: its chunk, control records and counters are written once a page. */
export const launchPageSize = 500;

/** A page's (or a second's) single-item writes in flight at once. */
export const campaignWritesInFlight = 16;

const over = (campaign: SavedCampaign | undefined): boolean =>
  campaign === undefined || campaign.status === 'cancelled' || campaign.status === 'sent';

/** The message a member is sent: written to the outbox at its slot, which it carries as `createdAt`. */
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

const rateOf = (deps: CampaignJobDeps, campaign: SavedCampaign): number =>
  campaign.definition.sendRate ?? deps.settings.campaignSendRate ?? defaultCampaignSendRate;

/** Whether the contact can be mailed (or texted) on the campaign's channel now; checked again at send time. */
const reachable = (campaign: SavedCampaign, contact: Contact): boolean => {
  const { channel, audience } = campaign.definition;
  if (channel.kind === 'sms')
    return contact.phone !== undefined && contact.consent.sms.status === 'subscribed';
  return mayReceiveMarketing(contact.consent.email.status, contact.topics, audience.topic) === 'allowed';
};

/** Runs every write, all of them even if one fails, then throws the first failure. */
const writeAll = async <T>(items: readonly T[], write: (item: T) => Promise<boolean>): Promise<T[]> => {
  const outcomes = await inParallel(items, campaignWritesInFlight, (item) =>
    write(item).then(
      (written) => ({ ok: true as const, written }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
  );
  const failed = outcomes.find((outcome) => !outcome.ok);
  if (failed !== undefined && !failed.ok) throw failed.error;
  return items.filter((_, index) => {
    const outcome = outcomes[index];
    return outcome?.ok === true && outcome.written;
  });
};

/** Counter increments, summed so each counter is written once. */
const counterTally = () => {
  const counters = new Map<string, { scope: string; metric: string; by: number }>();
  return {
    add: (scope: string, metric: string, by = 1) => {
      const key = `${scope}\u0000${metric}`;
      const counter = counters.get(key) ?? { scope, metric, by: 0 };
      counters.set(key, { ...counter, by: counter.by + by });
    },
    write: (stats: StatsStore, day: string) =>
      Promise.all(
        [...counters.values()].map(({ scope, metric, by }) => stats.increment(scope, day, metric, by)),
      ),
  };
};

export const planCampaignLaunch = async (
  deps: CampaignJobDeps,
  _job: JourneyJob,
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
  const day = work.at.slice(0, 10);
  const members = metricKey({ kind: 'group', metric: 'members', group: 'treatment' });
  const controlMembers = metricKey({ kind: 'group', metric: 'members', group: 'control' });
  return {
    kind: 'walk',
    walk: {
      pageSize: launchPageSize,
      page: (state, limit) => deps.contacts.page(state.cursor, limit),
      applyPage: async (contacts) => {
        const pageId = contacts[0]?.id;
        if (pageId === undefined) return [];
        const byStart = new Map<string, string[]>();
        const control: CampaignRecipient[] = [];
        const outcomes = contacts.map((contact): ItemOutcome => {
          if (!isMember(contact) || !reachable(campaign, contact)) return 'unchanged';
          const timeZone = contact.timeZone ?? deps.settings.defaultTimeZone;
          const start = scheduleStart(definition.schedule, launchedAt, timeZone).toISOString();
          if (campaignGroup(definition, contact.id) === 'control')
            control.push({
              campaignId: definition.id,
              contactId: contact.id,
              group: 'control',
              sendAt: start,
            });
          else byStart.set(start, [...(byStart.get(start) ?? []), contact.id]);
          return 'changed';
        });
        const chunks = [...byStart].map(
          ([start, contactIds]): CampaignAudienceChunk => ({
            campaignId: definition.id,
            start,
            id: pageId,
            contactIds,
          }),
        );
        // A page done again finds its chunks and records written: they stand, and are not counted twice.
        const [storedChunks, storedControl] = await Promise.all([
          writeAll(chunks, (chunk) => deps.campaignAudience.addChunk(chunk)),
          writeAll(control, (recipient) => deps.campaignAudience.addControl(recipient)),
        ]);
        const tally = counterTally();
        const campaignScope = statsScope.campaign(definition.id);
        for (const chunk of storedChunks)
          for (const contactId of chunk.contactIds) {
            tally.add(campaignScope, members);
            // An A/B test's rest is counted under the winner when it is sent.
            const variant = inTestShare(definition, contactId)
              ? campaignVariant(definition, contactId)
              : undefined;
            if (variant !== undefined) tally.add(statsScope.campaignVariant(definition.id, variant), members);
          }
        if (storedControl.length > 0) tally.add(campaignScope, controlMembers, storedControl.length);
        await tally.write(deps.stats, day);
        return outcomes;
      },
    },
  };
};

/** The other jobs of the same campaign: the launch a send waits for, the test share the rest waits for. */
const otherJobs = async (deps: CampaignJobDeps, job: JourneyJob): Promise<JourneyJob[]> =>
  (await deps.jobs.listForSubject(job.subject)).filter((other) => other.id !== job.id);

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

/** Who of the chunk's members a share sends, and with which variant. */
interface ShareRule {
  includes: (contactId: string) => boolean;
  variantOf: (contactId: string) => string | undefined;
  /** Nobody of the share starts before this (the rest: the end of the test's window). */
  notBefore?: Date;
}

/**
 * The send of one share: ready once the launch is done (and for the rest, once
 * the test's window ended and a winner is chosen); then steps through the
 * chunks in order, writing each member's message at its paced slot.
 */
export const planCampaignSend = async (
  deps: CampaignJobDeps,
  job: JourneyJob,
  work: { campaignId: string; share: 'first' | 'rest' },
): Promise<CampaignJobPlan<never>> => {
  const now = deps.clock.now();
  let campaign = await deps.campaigns.get(work.campaignId);
  if (campaign === undefined || over(campaign)) return { kind: 'finish' };
  if (campaign.status === 'paused')
    return { kind: 'postpone', until: new Date(now.getTime() + campaignRecheckMs) };
  const others = await otherJobs(deps, job);
  const launch = others.find((other) => other.work.kind === 'campaign-launch');
  if (launch === undefined) return { kind: 'fail', error: 'the campaign has no launch job' };
  if (launch.status === 'pending')
    return { kind: 'postpone', until: new Date(now.getTime() + launchRecheckMs) };
  if (launch.status === 'failed') return { kind: 'fail', error: `the launch failed: ${launch.error ?? ''}` };
  const { definition } = campaign;
  let rule: ShareRule = {
    includes: (contactId) => inTestShare(definition, contactId),
    variantOf: (contactId) => campaignVariant(definition, contactId),
  };
  if (work.share === 'rest') {
    const abTest = definition.abTest;
    if (abTest === undefined) return { kind: 'finish' };
    const test = others.find((other) => other.work.kind === 'campaign-send' && other.work.share === 'first');
    if (test === undefined) return { kind: 'fail', error: 'the campaign has no first send' };
    if (test.status === 'pending')
      return { kind: 'postpone', until: new Date(now.getTime() + campaignRecheckMs) };
    // The window runs from the test share's last send.
    const lastSend = new Date(test.pacing?.lastSendAt ?? test.finishedAt ?? test.updatedAt);
    const windowEnds = new Date(lastSend.getTime() + durationOf(abTest.window).as('milliseconds'));
    if (windowEnds > now) return { kind: 'postpone', until: windowEnds };
    if (campaign.winner === undefined) {
      const picked = await pickWinner(deps, campaign, now);
      if (picked === undefined) return { kind: 'finish' };
      campaign = await deps.campaigns.update(definition.id, { winner: picked }, now, campaign.version);
    }
    const winner = campaign.winner;
    rule = {
      includes: (contactId) => !inTestShare(definition, contactId),
      variantOf: () => winner,
      notBefore: windowEnds,
    };
  }
  return { kind: 'send', step: sendStep(deps, campaign, rule) };
};

/** The first message of a scheduled campaign is written: it is sending now. A pause may have come first. */
const markSending = async (deps: CampaignJobDeps, campaign: SavedCampaign, now: Date): Promise<void> => {
  try {
    await deps.campaigns.update(campaign.definition.id, { status: 'sending' }, now, campaign.version);
  } catch (error) {
    if (!(error instanceof ConcurrentUpdateError)) throw error;
  }
};

const paceOf = (pacing: JobPacing): Pace | undefined =>
  pacing.paceFrom === undefined
    ? undefined
    : { from: new Date(pacing.paceFrom), index: pacing.paceIndex ?? 0 };

const sendStep =
  (deps: CampaignJobDeps, campaign: SavedCampaign, rule: ShareRule): CampaignSendStep =>
  async (job, limit) => {
    const { definition } = campaign;
    const now = deps.clock.now();
    const rate = rateOf(deps, campaign);
    let cursor = job.cursor;
    let pacing: JobPacing = job.pacing ?? { queued: 0 };
    let pace = paceOf(pacing);
    let offset = pacing.offset ?? 0;
    let seen = 0;
    let done = false;
    let wakeAt: Date | undefined;
    const due: Message[] = [];
    let page = await deps.campaignAudience.chunks(definition.id, cursor, 1);
    while (wakeAt === undefined && seen < limit) {
      const chunk = page.items[0];
      if (chunk === undefined) {
        done = true;
        break;
      }
      const chunkStart = new Date(chunk.start);
      const start = rule.notBefore !== undefined && rule.notBefore > chunkStart ? rule.notBefore : chunkStart;
      for (; offset < chunk.contactIds.length && seen < limit; offset += 1) {
        const contactId = chunk.contactIds[offset];
        if (contactId === undefined || !rule.includes(contactId)) {
          seen += 1;
          continue;
        }
        const next = nextPacedSlot(pace, start, now, rate);
        if (next.slot > now) {
          wakeAt = next.slot;
          pace = next.pace;
          break;
        }
        const sendAt = next.slot.toISOString();
        due.push(campaignMessage(campaign, contactId, rule.variantOf(contactId), sendAt));
        pace = { from: next.pace.from, index: next.pace.index + 1 };
        pacing = {
          ...pacing,
          queued: pacing.queued + 1,
          lastSendAt:
            pacing.lastSendAt === undefined || pacing.lastSendAt < sendAt ? sendAt : pacing.lastSendAt,
        };
        seen += 1;
      }
      if (offset < chunk.contactIds.length) break;
      // The chunk is done: the cursor moves past it.
      if (page.next === undefined) {
        done = true;
        break;
      }
      cursor = page.next;
      offset = 0;
      if (seen < limit && wakeAt === undefined)
        page = await deps.campaignAudience.chunks(definition.id, cursor, 1);
      else break;
    }
    const written = await writeAll(due, (message) => deps.outbox.enqueue(message));
    if (written.length > 0 && campaign.status === 'scheduled') await markSending(deps, campaign, now);
    if (rule.notBefore !== undefined && written.length > 0) {
      // The rest is counted under the winner as it is sent, on the launch day where its cohort is.
      const tally = counterTally();
      for (const message of written)
        if (message.variant !== undefined)
          tally.add(
            statsScope.campaignVariant(definition.id, message.variant),
            metricKey({ kind: 'group', metric: 'members', group: 'treatment' }),
          );
      await tally.write(deps.stats, (campaign.launchedAt ?? now.toISOString()).slice(0, 10));
    }
    return {
      seen,
      written: written.length,
      cursor,
      pacing: {
        ...pacing,
        ...(pace === undefined ? {} : { paceFrom: pace.from.toISOString(), paceIndex: pace.index }),
        offset,
      },
      done,
      ...(wakeAt === undefined ? {} : { wakeAt }),
    };
  };

/**
 * Sent once every other job of the campaign is done: its messages are all in
 * the outbox. Until then, and while paused, it looks again later. Returns the
 * plan's outcome; the status change is its own work.
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
  const pending = (await otherJobs(deps, job)).filter((other) => other.status === 'pending');
  if (pending.length > 0) {
    // A send set aside until its slot or window says when; looking sooner finds nothing new.
    const soonest = Math.min(
      ...pending.map((other) => (other.runAfter === undefined ? now.getTime() : Date.parse(other.runAfter))),
    );
    return soonest > now.getTime() + campaignRecheckMs
      ? { kind: 'postpone', until: new Date(soonest) }
      : recheck;
  }
  await deps.campaigns.update(campaign.definition.id, { status: 'sent' }, now, campaign.version);
  return { kind: 'finish' };
};

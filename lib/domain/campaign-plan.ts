import { DateTime } from 'luxon';
import type { CampaignDefinition, CampaignSchedule, CampaignStatus } from './campaign.js';
import { unitHash } from './deterministic-hash.js';

/**
 * The pure rules of sending a campaign: who is held out, who gets which variant,
 * who is in an A/B test's first share, when each message is due, and which
 * lifecycle steps are allowed. Every split hashes the campaign and the contact,
 * so a page done twice (a crash, a rerun) assigns everyone alike.
 */

export const campaignGroup = (
  campaign: Pick<CampaignDefinition, 'id' | 'holdout'>,
  contactId: string,
): 'treatment' | 'control' =>
  unitHash('campaign-holdout', campaign.id, contactId) * 100 < campaign.holdout ? 'control' : 'treatment';

/** A variant by weight; undefined when the campaign has none. */
export const campaignVariant = (
  campaign: Pick<CampaignDefinition, 'id' | 'variants'>,
  contactId: string,
): string | undefined => {
  const variants = campaign.variants;
  if (variants === undefined || variants.length === 0) return undefined;
  const total = variants.reduce((sum, variant) => sum + variant.weight, 0);
  let point = unitHash('campaign-variant', campaign.id, contactId) * total;
  for (const variant of variants) {
    if (point < variant.weight) return variant.id;
    point -= variant.weight;
  }
  return variants[variants.length - 1]?.id;
};

/** Whether an A/B test's treatment recipient goes in the first (test) share; true without a test. */
export const inTestShare = (
  campaign: Pick<CampaignDefinition, 'id' | 'abTest'>,
  contactId: string,
): boolean =>
  campaign.abTest === undefined ||
  unitHash('campaign-ab-test', campaign.id, contactId) * 100 < campaign.abTest.testPercent;

/**
 * When the paced send of slot `index` starts: `now` at launch, `at` at that
 * instant, `local` at the date and time in the contact's own zone; never
 * before the launch itself.
 */
export const scheduleStart = (schedule: CampaignSchedule, launchedAt: Date, timeZone: string): Date => {
  const start = (() => {
    switch (schedule.kind) {
      case 'now':
        return launchedAt;
      case 'at':
        return new Date(schedule.at);
      case 'local': {
        const local = DateTime.fromISO(`${schedule.date}T${schedule.time}`, { zone: timeZone });
        return (
          local.isValid ? local : DateTime.fromISO(`${schedule.date}T${schedule.time}`, { zone: 'UTC' })
        )
          .toUTC()
          .toJSDate();
      }
      default: {
        const unknownSchedule: never = schedule;
        throw new Error(`unknown schedule ${JSON.stringify(unknownSchedule)}`);
      }
    }
  })();
  return start > launchedAt ? start : launchedAt;
};

/** Slot `index` of a send paced at `rate` messages a second: `floor(index / rate)` seconds after `start`. */
export const sendSlot = (start: Date, index: number, rate: number): Date =>
  new Date(start.getTime() + Math.floor(index / rate) * 1000);

/** Where a send is in its pace: slot `index` of the pace that began at `from`. */
export interface Pace {
  from: Date;
  index: number;
}

/** A slot further behind than this is not caught up with: the pace starts again now. */
export const paceLapseMs = 1_000;

/**
 * The slot of the next message of a paced send, for a member whose sending
 * starts at `start`, asked at `now`. The pace goes on from where it is unless
 * the member starts later (another zone's 10:00: a new pace from there), or
 * the pace lapsed (a pause, a run that came late): then it starts again at the
 * current second instead of sending the missed slots at once. A new pace
 * begins on a whole second, so no second ever carries more than `rate`
 * messages. A slot after `now` is waited for.
 */
export const nextPacedSlot = (
  pace: Pace | undefined,
  start: Date,
  now: Date,
  rate: number,
): { slot: Date; pace: Pace } => {
  const slot = pace === undefined ? undefined : sendSlot(pace.from, pace.index, rate);
  if (
    pace !== undefined &&
    slot !== undefined &&
    slot >= start &&
    slot.getTime() > now.getTime() - paceLapseMs
  )
    return { slot, pace };
  // A new pace begins on a whole second, so it shares no second with the one before it.
  const wholeSecond = (ms: number, round: (x: number) => number) => new Date(round(ms / 1000) * 1000);
  const startSecond = wholeSecond(start.getTime(), Math.ceil);
  const nowSecond = wholeSecond(now.getTime(), Math.floor);
  const from = startSecond > nowSecond ? startSecond : nowSecond;
  return { slot: from, pace: { from, index: 0 } };
};

export type CampaignAction = 'launch' | 'pause' | 'resume' | 'cancel';

/**
 * The status a lifecycle step leads to, or why it cannot be taken:
 * draft → scheduled | sending (launch); scheduled | sending → paused → back
 * (pause, resume); anything but sent → cancelled. Sent and cancelled are final.
 */
export const campaignTransition = (
  current: { status: CampaignStatus; pausedFrom?: CampaignStatus | undefined },
  action: CampaignAction,
  launchStatus: 'scheduled' | 'sending' = 'sending',
): { status: CampaignStatus } | { refused: string } => {
  const { status } = current;
  switch (action) {
    case 'launch':
      return status === 'draft' ? { status: launchStatus } : { refused: `it is ${status}, not a draft` };
    case 'pause':
      return status === 'scheduled' || status === 'sending'
        ? { status: 'paused' }
        : { refused: `only a scheduled or sending campaign can be paused; it is ${status}` };
    case 'resume':
      return status === 'paused'
        ? { status: current.pausedFrom ?? 'sending' }
        : { refused: `only a paused campaign can be resumed; it is ${status}` };
    case 'cancel':
      return status === 'sent' || status === 'cancelled'
        ? { refused: `it is ${status} already` }
        : { status: 'cancelled' };
    default: {
      const unknownAction: never = action;
      throw new Error(`unknown campaign action ${JSON.stringify(unknownAction)}`);
    }
  }
};

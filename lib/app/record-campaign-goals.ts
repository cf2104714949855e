import { type CampaignRecipient, measuresGoal, type SavedCampaign } from '../domain/campaign.js';
import { conditionBudgetMs, withConditionBudget } from '../domain/conditions.js';
import type { Contact } from '../domain/contact.js';
import type { ContactEvent } from '../domain/contact-event.js';
import { type CounterIncrement, countMarkAt } from '../domain/counter-increment.js';
import { eventWorth } from '../domain/event-worth.js';
import { eventMeetsRule } from '../domain/journey-engine.js';
import { campaignScopes, type Group, type GroupMetric, metricKey, statsScope } from '../domain/stats-keys.js';
import { afterDuration } from '../domain/wait-time.js';
import type { CampaignGoalStore } from '../ports/campaign-goal-store.js';
import type { CampaignStore } from '../ports/campaign-store.js';
import type { Clock } from '../ports/clock.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { StatsStore } from '../ports/stats-store.js';

export interface RecordCampaignGoalsDeps {
  campaigns: Pick<CampaignStore, 'get'>;
  /**
   * Whether any campaign measures a goal now (`measuresGoal`): most events come
   * when none does, and then the contact's campaigns are not read at all.
   */
  anyGoalMeasured: () => Promise<boolean>;
  goals: CampaignGoalStore;
  contacts: Pick<ContactStore, 'get'>;
  stats: Pick<StatsStore, 'countOnce'>;
  clock: Clock;
  settings: {
    /** The currency the campaign reports' revenue counters are kept in. */
    defaultCurrency: string;
  };
}

/** `anyGoalMeasured` over a list of the campaigns (kept a minute by the runtime: a launch is measured within it). */
export const anyCampaignMeasuresGoal =
  (campaigns: () => Promise<readonly SavedCampaign[]>, clock: Clock) => async (): Promise<boolean> => {
    const now = clock.now();
    return (await campaigns()).some((campaign) => measuresGoal(campaign, now));
  };

export type CampaignGoalOutcome =
  | { campaignId: string; outcome: 'converted'; group: Group; variant?: string; revenueMinor: number }
  /** The goal's condition could not be evaluated (over its budget): this campaign's failure alone, counted as its `errors`. */
  | { campaignId: string; outcome: 'failed'; error: string };

/**
 * The recipient's goal window: from its send slot (the control group's would-be
 * start: it is measured as if sent) to `within` after it, both ends included.
 * One that converted already has nothing left to reach.
 */
const windowHolds = (recipient: CampaignRecipient, within: string, at: Date): boolean => {
  if (recipient.goalReachedAt !== undefined) return false;
  const opens = new Date(recipient.sendAt);
  return at >= opens && at <= afterDuration(within, opens, 'UTC');
};

/**
 * Checks one contact event against the goals of the campaigns the contact is a
 * recipient of: the goal's event type and condition over `{ contact, event }`
 * (as a journey's goal), at the event's own time within the recipient's window.
 * A recipient converts once: the mark on its record is a conditional write, and
 * only the write that sets it counts `converted:<group>` and what the event was
 * worth (`converted-revenue-minor:<group>`, minor units of the deployment's
 * currency) under the campaign and its variant, on the day the audience was
 * frozen (where `members:<group>` are), and `goal:<group>` on the day it happened,
 * in the mark's own transaction: a replayed event finds the mark and counts nothing.
 */
export const recordCampaignGoals = async (
  deps: RecordCampaignGoalsDeps,
  event: ContactEvent,
): Promise<CampaignGoalOutcome[]> => {
  const at = new Date(event.at);
  if (!(await deps.anyGoalMeasured())) return [];
  const recipients = (await deps.goals.forContact(event.contactId)).filter(
    (recipient) => recipient.goalReachedAt === undefined,
  );
  const outcomes: CampaignGoalOutcome[] = [];
  // Read only when some campaign's goal names the event: most events convert nothing.
  let contact: Contact | undefined;
  for (const recipient of recipients) {
    const campaign = await deps.campaigns.get(recipient.campaignId);
    const goal = campaign?.definition.goal;
    if (
      campaign === undefined ||
      goal === undefined ||
      goal.event !== event.type ||
      !windowHolds(recipient, goal.within, at)
    )
      continue;
    contact ??= await deps.contacts.get(event.contactId);
    if (contact === undefined) return outcomes;
    const reader = contact;
    let met: boolean;
    try {
      met = withConditionBudget(conditionBudgetMs, () => eventMeetsRule(goal, reader, event));
    } catch (error) {
      const now = deps.clock.now();
      // A redelivered event fails the same way: the mark counts its failure once.
      await deps.stats.countOnce(countMarkAt(`campaign-error#${recipient.campaignId}#${event.id}`, now), [
        {
          scope: statsScope.campaign(recipient.campaignId),
          day: now.toISOString().slice(0, 10),
          metric: metricKey({ kind: 'errors' }),
          by: 1,
        },
      ]);
      outcomes.push({
        campaignId: recipient.campaignId,
        outcome: 'failed',
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
      continue;
    }
    if (!met) continue;
    const revenueMinor = eventWorth(event, deps.settings.defaultCurrency);
    const counters = conversionCounters(
      recipient,
      campaign.launchedAt ?? recipient.sendAt,
      event.at,
      revenueMinor,
    );
    if (!(await deps.goals.reachGoal(recipient, event.at, counters))) continue;
    outcomes.push({
      campaignId: recipient.campaignId,
      outcome: 'converted',
      group: recipient.group,
      ...(recipient.variant === undefined ? {} : { variant: recipient.variant }),
      revenueMinor,
    });
  }
  return outcomes;
};

/**
 * `converted:*` on the day the audience was frozen, for the report's cohort;
 * `goal:*` on the day the goal was reached, as a journey's enrollments count
 * it, for conversions over time (and the A/B test's goal rate).
 */
const conversionCounters = (
  recipient: CampaignRecipient,
  frozenAt: string,
  reachedAt: string,
  revenueMinor: number,
): CounterIncrement[] => {
  const { group } = recipient;
  const increments: Array<[string, GroupMetric, number]> = [
    [frozenAt, 'converted', 1],
    [frozenAt, 'converted-revenue-minor', revenueMinor],
    [reachedAt, 'goal', 1],
    [reachedAt, 'goal-revenue-minor', revenueMinor],
  ];
  return campaignScopes(recipient.campaignId, recipient.variant).flatMap((scope) =>
    increments.map(([at, metric, by]) => ({
      scope,
      day: at.slice(0, 10),
      metric: metricKey({ kind: 'group', metric, group }),
      by,
    })),
  );
};

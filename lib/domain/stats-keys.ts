import type { DeferReason, SkipReason } from './message.js';

/**
 * The names of the daily counters (`STAT#<scope>#<day>` / `<metric>`), built and
 * read in one place: the journeys function, deliver, ingestion and SES feedback
 * write them; the stats, the report and the demo read them.
 */

export type Group = 'treatment' | 'control';

export const statsScope = {
  journey: (journeyId: string): string => `journey:${journeyId}`,
  /** A campaign's counters in total; each is counted again under its variant's scope. */
  campaign: (campaignId: string): string => `campaign:${campaignId}`,
  campaignVariant: (campaignId: string, variant: string): string => `campaign:${campaignId}/${variant}`,
  /** Messages that belong to no journey (the confirmation). */
  transactional: 'transactional',
  /** SES's events for all mail. */
  email: 'email',
  /** Who joined, confirmed and left the list, whatever brought them. */
  audience: 'audience',
} as const;

/** Where a campaign's counter goes: the campaign's scope, and its variant's when the contact got one. */
export const campaignScopes = (campaignId: string, variant: string | undefined): string[] => [
  statsScope.campaign(campaignId),
  ...(variant === undefined ? [] : [statsScope.campaignVariant(campaignId, variant)]),
];

export const AudienceEvent = ['signup', 'confirmation', 'unsubscribe'] as const;
export type AudienceEvent = (typeof AudienceEvent)[number];

/** Per-journey counters of people and enrollments, by holdout group. */
export type GroupMetric =
  /** One more enrollment. */
  | 'entered'
  /** One more person: counted on the day of their first entry. */
  | 'members'
  /** An enrollment that reached its goal, and what the converting event was worth (minor units). */
  | 'goal'
  | 'goal-revenue-minor'
  /** A member's first conversion, counted on the day they joined. */
  | 'converted'
  | 'converted-revenue-minor';

/** What became of a message: counted per journey (or transactional) and per node. */
export type DeliveryMetric =
  | { outcome: 'sent' | 'failed' }
  | { outcome: 'skipped'; reason: SkipReason }
  | { outcome: 'deferred'; reason: DeferReason };

export type StatsMetric =
  | { kind: 'group'; metric: GroupMetric; group: Group }
  | { kind: 'delivery'; delivery: DeliveryMetric }
  /** An enrollment that ended, by how. */
  | { kind: 'finished'; status: 'completed' | 'exited' }
  /** A journey failed on an event (Decision 31). */
  | { kind: 'errors' }
  /** Orders credited to the journey's mail by last click, and their revenue in minor units. */
  | { kind: 'attributed'; metric: 'orders' | 'revenue-minor' }
  /** The same for a campaign's mail, by the customer's acquisition medium (their signup's `utm_medium`; null: none). */
  | { kind: 'attributed-by-medium'; metric: 'orders' | 'revenue-minor'; medium: string | null }
  /** A contact who unsubscribed through the link in the scope's mail. */
  | { kind: 'unsubscribed' }
  /** SES's event types, as `bounce`, `delivery`, `click`, … */
  | { kind: 'ses'; event: string }
  /** The `audience` scope: a new signup awaiting confirmation, a confirmation, an email unsubscribe. */
  | { kind: 'audience'; event: AudienceEvent }
  /** A counter per node: how many reached it, and what became of its messages. */
  | {
      kind: 'node';
      nodeId: string;
      metric: { kind: 'entered' } | { kind: 'delivery'; delivery: DeliveryMetric };
    };

const deliveryKey = (delivery: DeliveryMetric): string =>
  'reason' in delivery ? `${delivery.outcome}:${delivery.reason}` : delivery.outcome;

export const metricKey = (metric: StatsMetric): string => {
  switch (metric.kind) {
    case 'group':
      return `${metric.metric}:${metric.group}`;
    case 'delivery':
      return deliveryKey(metric.delivery);
    case 'finished':
      return metric.status;
    case 'errors':
      return 'errors';
    case 'attributed':
      return `attributed:${metric.metric}`;
    case 'attributed-by-medium':
      return metric.medium === null || metric.medium === ''
        ? `attributed:${metric.metric}:no-medium`
        : `attributed:${metric.metric}:medium:${metric.medium}`;
    case 'unsubscribed':
      return 'unsubscribed';
    case 'ses':
      return metric.event;
    case 'audience':
      return metric.event;
    case 'node':
      return `node:${metric.nodeId}:${metric.metric.kind === 'entered' ? 'entered' : deliveryKey(metric.metric.delivery)}`;
    default: {
      const unknownMetric: never = metric;
      throw new Error(`unknown metric ${JSON.stringify(unknownMetric)}`);
    }
  }
};

/** The medium and metric of an `attributed-by-medium` counter's key; undefined for any other key. */
export const mediumOfKey = (
  key: string,
): { metric: 'orders' | 'revenue-minor'; medium: string | null } | undefined => {
  const match = /^attributed:(orders|revenue-minor):(?:no-medium$|medium:(.+)$)/s.exec(key);
  if (match === null) return undefined;
  return { metric: match[1] === 'orders' ? 'orders' : 'revenue-minor', medium: match[2] ?? null };
};

/** `node:<nodeId>:<metric>` apart from the journey-wide ones: node ids hold no colon. */
export const nodeOfKey = (key: string): { nodeId: string; metric: string } | undefined => {
  const match = /^node:([^:]+):(.+)$/.exec(key);
  return match?.[1] === undefined || match[2] === undefined
    ? undefined
    : { nodeId: match[1], metric: match[2] };
};

/** Counters for one day, the journey's and each node's, as the stats answer shows them. */
export const groupByNode = (
  counters: Readonly<Record<string, number>>,
): { totals: Record<string, number>; nodes: Record<string, Record<string, number>> } => {
  const totals: Record<string, number> = {};
  const nodes: Record<string, Record<string, number>> = {};
  for (const [key, count] of Object.entries(counters)) {
    const node = nodeOfKey(key);
    if (node === undefined) totals[key] = count;
    else nodes[node.nodeId] = { ...nodes[node.nodeId], [node.metric]: count };
  }
  return { totals, nodes };
};

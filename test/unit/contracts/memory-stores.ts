import { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import type { ContractStores, MakeStores } from '../../contracts/stores.js';

/** The memory adapters of one fresh MemoryWorld. */
export const memoryStores: MakeStores = async ({ timerShards = 4 } = {}): Promise<ContractStores> => {
  const world = new MemoryWorld({ start: '2026-11-23T12:00:00.000Z', timerShards });
  return {
    apiKeys: world.apiKeys,
    audit: world.audit,
    campaigns: world.campaigns,
    campaignAudience: world.campaignAudience,
    campaignGoals: world.campaignGoals,
    catalog: world.catalog,
    clicks: world.clicks,
    coPurchases: world.coPurchases,
    events: world.events,
    contacts: world.contacts,
    customerValue: world.customerValue,
    deadLetters: world.deadLetters,
    deliveryPolicies: world.deliveryPolicies,
    sendingState: world.sendingState,
    enrollments: world.enrollments,
    ingestion: world.ingestion,
    jobs: world.jobs,
    journeys: world.journeys,
    orders: world.orders,
    outboundEvents: world.outboundEvents,
    outbox: world.outbox,
    personalData: world.personalData,
    rateLimiter: world.rateLimiter,
    segments: world.segments,
    segmentMemberships: world.segmentMemberships,
    softBounces: world.softBounces,
    stats: world.stats,
    suppressions: world.suppressions,
    templates: world.templates,
    timers: world.timers,
    timerShards,
    table: {
      put: async (item) => {
        world.table.write({ put: item });
      },
      query: async (partitionKey, prefix) => world.items(partitionKey, prefix),
      scan: async () => world.table.scan(),
    },
  };
};

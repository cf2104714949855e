import { describe, expect, it } from 'vitest';
import { compileFilters } from '../../../infra/local/filter-pattern.js';
import { busRuleFunctions } from '../../../infra/topology.js';

/** The ingest-bus rule's pattern from the topology, matched as EventBridge matches it. */
const ingestBus = busRuleFunctions().find((spec) => spec.name === 'ingest-bus');
const matches = compileFilters(ingestBus === undefined ? [] : [ingestBus.trigger.pattern]);

const event = (source: string, detailType: string) => ({
  version: '0',
  id: 'e-1',
  'detail-type': detailType,
  source,
  account: '123456789012',
  time: '2026-11-20T15:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { userId: 'shop-42' },
});

describe('the events the ingest-bus rule takes from the bus', () => {
  it.each(['Order Completed', 'Order Refunded', 'Product Viewed', 'Identify'])(
    'takes "%s" from another system',
    (detailType) => {
      expect(matches(event('com.example.orders', detailType))).toBe(true);
    },
  );

  it('leaves out what Rapport’s own journeys emit, even under an ingested detail-type, so nothing loops', () => {
    expect(matches(event('rapport.journeys', 'Order Completed'))).toBe(false);
  });

  it('leaves out detail-types ingestion does not take', () => {
    expect(matches(event('com.example.orders', 'Cart Abandoned'))).toBe(false);
    expect(matches(event('com.example.orders', 'order completed'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { campaignScopes, mediumOfKey, metricKey } from '../../../lib/domain/stats-keys.js';

describe('when attributed orders are counted by medium', () => {
  it.each([
    ['email', 'attributed:orders:medium:email'],
    ['cpc:brand', 'attributed:orders:medium:cpc:brand'],
    [null, 'attributed:orders:no-medium'],
  ])('names the counter of %s so it reads back', (medium, key) => {
    expect(metricKey({ kind: 'attributed-by-medium', metric: 'orders', medium })).toBe(key);
    expect(mediumOfKey(key)).toEqual({ metric: 'orders', medium });
  });

  it('tells them apart from every other counter', () => {
    expect(mediumOfKey('attributed:orders')).toBeUndefined();
    expect(mediumOfKey('attributed:revenue-minor')).toBeUndefined();
    expect(mediumOfKey('sent')).toBeUndefined();
    expect(mediumOfKey('attributed:revenue-minor:medium:social')).toEqual({
      metric: 'revenue-minor',
      medium: 'social',
    });
  });
});

describe('when a campaign counts', () => {
  it('counts under the campaign, and under the variant when the contact got one', () => {
    expect(campaignScopes('spring', 'b')).toEqual(['campaign:spring', 'campaign:spring/b']);
    expect(campaignScopes('spring', undefined)).toEqual(['campaign:spring']);
  });
});

import { describe, expect, it } from 'vitest';
import { exportedItem, groupOf } from '../../../lib/adapters/dynamodb/dynamo-personal-data-store.js';

describe('sorting a contact partition into export groups', () => {
  it.each([
    ['PROFILE', 'profile'],
    ['CONSENT#2026-11-23T10:00:00.000Z#01J', 'consentLog'],
    ['EV#01J', 'events'],
    ['EN#welcome#01J', 'enrollments'],
    ['ENTERED#welcome', 'markers'],
    ['ACTIVE#welcome', 'markers'],
    ['MSG#confirm#01J', 'messages'],
    ['OUT#welcome#01J#tell#1', 'outboundEvents'],
    ['ORDER#1001', 'orders'],
    ['CLICK#2026-11-23T10:00:00.000Z#welcome#01J#hello#1', 'clicks'],
    ['REVIEW#1', 'other'],
  ])('files %s under %s', (sortKey, group) => {
    expect(groupOf(sortKey)).toBe(group);
  });
});

describe('an item as the export shows it', () => {
  const stored = {
    PK: 'C#01J',
    SK: 'PROFILE',
    GSI1PK: 'CONTACTS#3',
    GSI1SK: '01J',
    type: 'contact',
    email: 'ann@example.com',
  };

  it('leaves out where the item lives and the kind its group already names', () => {
    expect(exportedItem('profile', stored)).toEqual({ email: 'ann@example.com' });
  });

  it("gives an event back its own type, not the item's kind", () => {
    expect(
      exportedItem('events', {
        PK: 'C#01J',
        SK: 'EV#1',
        type: 'event',
        eventType: 'signup_confirmed',
        id: '1',
      }),
    ).toEqual({ type: 'signup_confirmed', id: '1' });
  });

  it('keeps the kind and the sort key of an item no group knows', () => {
    expect(exportedItem('other', { PK: 'C#01J', SK: 'REVIEW#1', type: 'review', stars: 5 })).toEqual({
      sortKey: 'REVIEW#1',
      type: 'review',
      stars: 5,
    });
  });
});

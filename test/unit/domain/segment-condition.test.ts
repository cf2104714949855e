import { describe, expect, it } from 'vitest';
import { emptyCustomerCard } from '../../../lib/domain/customer-card.js';
import {
  matchesSegment,
  SegmentCondition,
  segmentConditionProblem,
} from '../../../lib/domain/segment-condition.js';
import { aSubscribedContact } from '../../support/builders.js';

const now = new Date('2026-12-01T12:00:00.000Z');

const reader = aSubscribedContact({
  customer: {
    ...emptyCustomerCard(),
    orders: 3,
    revenue: 12_550,
    averageOrderValue: 4183,
    currency: 'EUR',
    tier: 'vip',
    lastPurchaseAt: '2026-10-01T09:00:00.000Z',
    categoryLastPurchasedAt: { books: '2026-10-01T09:00:00.000Z', 'books/crime': '2026-10-01T09:00:00.000Z' },
    ownedProducts: [
      {
        sku: 'COPIER-1',
        category: 'copiers',
        purchasedAt: '2022-12-20T00:00:00.000Z',
        orderId: 'o1',
        replacementDueAt: '2027-01-15',
      },
    ],
  },
});

describe('a segment condition', () => {
  it('reads the contact as journey conditions do, money in major units', () => {
    expect(matchesSegment({ 'contact.customer.revenue': { $gte: 125.5 } }, reader, now)).toBe(true);
    expect(matchesSegment({ 'contact.customer.revenue': { $gt: 125.5 } }, reader, now)).toBe(false);
    expect(
      matchesSegment(
        { 'contact.consent.email.status': 'subscribed', 'contact.customer.tier': 'vip' },
        reader,
        now,
      ),
    ).toBe(true);
  });

  it('takes dates relative to the moment it is evaluated, so it stays true over time', () => {
    const crimeReader = { 'contact.customer.categoryLastPurchasedAt.books/crime': { $within: '-P180D' } };
    expect(matchesSegment(crimeReader, reader, now)).toBe(true);
    expect(matchesSegment(crimeReader, reader, new Date('2027-04-01T00:00:00.000Z'))).toBe(false);
  });

  it('looks ahead, into any element of a list', () => {
    const due = { 'contact.customer.ownedProducts.replacementDueAt': { $within: 'P60D' } };
    expect(matchesSegment(due, reader, now)).toBe(true);
    expect(matchesSegment(due, reader, new Date('2026-10-01T00:00:00.000Z'))).toBe(false);
  });

  it('compares with a moment before or after, and never matches a missing date', () => {
    const lapsed = { 'contact.customer.lastPurchaseAt': { $before: '-P365D' } };
    expect(matchesSegment(lapsed, reader, now)).toBe(false);
    expect(matchesSegment(lapsed, reader, new Date('2027-10-02T00:00:00.000Z'))).toBe(true);
    expect(
      matchesSegment({ 'contact.customer.firstPurchaseAt': { $after: '2026-01-01' } }, reader, now),
    ).toBe(false);
    expect(matchesSegment({ 'contact.customer.lastPurchaseAt': { $after: '2026-01-01' } }, reader, now)).toBe(
      true,
    );
  });

  it('still refuses $where and runs $regex in linear time beside the date operators', () => {
    expect(segmentConditionProblem({ $where: 'true' })).toMatch(/\$where/);
    expect(
      matchesSegment(
        { 'contact.email': { $regex: '^reader' }, 'contact.customer.lastPurchaseAt': { $within: '-P365D' } },
        aSubscribedContact({ email: 'reader@example.com', customer: reader.customer }),
        now,
      ),
    ).toBe(true);
  });

  it.each([
    [{ 'contact.customer.lastPurchaseAt': { $within: 'yesterday' } }, '$within takes a duration from now'],
    [{ 'contact.customer.lastPurchaseAt': { $within: 'P180' } }, 'is not an ISO 8601 duration'],
    [{ 'contact.customer.lastPurchaseAt': { $before: 'P100Y' } }, 'must be at most P20Y'],
    [{ 'contact.customer.lastPurchaseAt': { $after: 30 } }, '$after takes an ISO 8601 duration'],
    [{ 'contact.tier': { $nope: 1 } }, '$nope'],
  ])('refuses %j, saying why', (condition, problem) => {
    const parsed = SegmentCondition.safeParse(condition);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(problem);
  });
});

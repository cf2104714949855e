import { describe, expect, it } from 'vitest';
import { CustomerCardShown, customerCardView } from '../../../lib/domain/customer-card.js';
import { aCard } from './support/customers.js';

describe('a customer card as people read and write it', () => {
  const card = aCard({
    orders: 2,
    revenue: 8496,
    averageOrderValue: 4248,
    currency: 'EUR',
    predictedClv: 31_938,
  });

  it('shows its money in major units of its currency', () => {
    expect(customerCardView(card)).toMatchObject({
      revenue: 84.96,
      averageOrderValue: 42.48,
      predictedClv: 319.38,
    });
    expect(
      customerCardView(aCard({ orders: 1, revenue: 1500, averageOrderValue: 1500, currency: 'JPY' })),
    ).toMatchObject({
      revenue: 1500,
    });
  });

  it('reads what it shows back into the same minor units', () => {
    expect(CustomerCardShown.parse(customerCardView(card))).toEqual(card);
  });

  it('refuses an amount finer than the currency’s unit, naming the field', () => {
    const written = CustomerCardShown.safeParse({ ...customerCardView(card), revenue: 84.965 });
    expect(written.success).toBe(false);
    expect(written.error?.issues).toEqual([
      expect.objectContaining({ path: ['revenue'], message: 'has more decimals than EUR allows (2)' }),
    ]);
  });
});

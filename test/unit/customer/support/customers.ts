import { type CustomerCard, emptyCustomerCard } from '../../../../lib/domain/customer-card.js';
import { toMinorUnits } from '../../../../lib/domain/money.js';
import { Order } from '../../../../lib/domain/order.js';
import { Product } from '../../../../lib/domain/product.js';

const DAY_MS = 86_400_000;

/** The fixed "now" every customer test measures from. */
export const NOW = new Date('2026-06-01T00:00:00.000Z');

/** An ISO time `days` before NOW (fractions allowed). */
export const daysAgo = (days: number, now: Date = NOW): string =>
  new Date(now.getTime() - days * DAY_MS).toISOString();

export const aProduct = (raw: Partial<Product> & Pick<Product, 'sku' | 'category'>): Product =>
  Product.parse({
    name: `Product ${raw.sku}`,
    price: 10,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...raw,
  });

/**
 * An order with its money written as the shop sends it (19.99, in major units
 * of `currency`, EUR unless given) and kept, like every order, in minor units.
 */
export const anOrder = (
  raw: Partial<Omit<Order, 'currency'>> &
    Pick<Order, 'orderId' | 'at' | 'revenue' | 'lines'> & { currency?: string },
): Order => {
  const currency = raw.currency ?? 'EUR';
  const minor = (amount: number) => toMinorUnits(amount, currency);
  return Order.parse({
    contactId: 'c1',
    source: { channel: 'api' },
    ...raw,
    currency,
    revenue: minor(raw.revenue),
    total: minor(raw.total ?? raw.revenue),
    refunded: minor(raw.refunded ?? 0),
    lines: raw.lines.map((line) => ({ ...line, price: minor(line.price) })),
  });
};

export const aCard = (overrides: Partial<CustomerCard> = {}): CustomerCard => ({
  ...emptyCustomerCard(),
  ...overrides,
});

export const catalogOf = (...products: Product[]): ReadonlyMap<string, Product> =>
  new Map(products.map((product) => [product.sku, product]));

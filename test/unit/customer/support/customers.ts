import { type CustomerCard, emptyCustomerCard } from '../../../../lib/domain/customer-card.js';
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

export const anOrder = (raw: Partial<Order> & Pick<Order, 'orderId' | 'at' | 'revenue' | 'lines'>): Order =>
  Order.parse({ contactId: 'c1', total: raw.revenue, source: { channel: 'api' }, ...raw });

export const aCard = (overrides: Partial<CustomerCard> = {}): CustomerCard => ({
  ...emptyCustomerCard(),
  ...overrides,
});

export const catalogOf = (...products: Product[]): ReadonlyMap<string, Product> =>
  new Map(products.map((product) => [product.sku, product]));

import { type CustomerCard, emptyCustomerCard, type OwnedProduct } from './customer-card.js';
import { checkedIsoDay } from './iso-range.js';
import { rescaleMinorUnits } from './money.js';
import type { Order, OrderLine, Refund } from './order.js';
import { own } from './own-property.js';
import type { Product } from './product.js';

/**
 * Enough for replacement reminders and the "already bought" filter, while a
 * reseller's card stays far below DynamoDB's 400 KB item limit.
 */
export const OWNED_PRODUCTS_LIMIT = 50;

const DAY_MS = 86_400_000;

/** Minor units, so the sum is exact; the average is rounded once, to a minor unit. */
const averageOrderValue = (revenue: number, orders: number): number =>
  orders > 0 ? Math.round(revenue / orders) : 0;

// Orders can arrive late (a replayed backlog), so first and last are min and max, not "the one before".
const earlier = (known: string | undefined, candidate: string): string =>
  known !== undefined && Date.parse(known) <= Date.parse(candidate) ? known : candidate;
const later = (known: string | undefined, candidate: string): string =>
  known !== undefined && Date.parse(known) >= Date.parse(candidate) ? known : candidate;

/**
 * The card keeps no time zone, so the due date is the UTC calendar date of the
 * purchase plus the cycle; date triggers then fire at their time of day in the
 * contact's zone, at most a day off for a purchase made near midnight.
 */
const replacementDueAt = (purchasedAt: string, cycleDays: number): string => {
  const purchaseDay = Math.floor(Date.parse(purchasedAt) / DAY_MS) * DAY_MS;
  return checkedIsoDay(purchaseDay + cycleDays * DAY_MS, 'the replacement due date');
};

const categoryOf = (line: OrderLine, product: Product | undefined): string | undefined =>
  line.category ?? product?.category;

const ownedProduct = (line: OrderLine, order: Order, product: Product | undefined): OwnedProduct => {
  const name = line.name ?? product?.name;
  const category = categoryOf(line, product);
  const cycle = product?.replacementCycleDays;
  return {
    sku: line.sku,
    ...(name === undefined ? {} : { name }),
    ...(category === undefined ? {} : { category }),
    purchasedAt: order.at,
    orderId: order.orderId,
    ...(cycle === undefined ? {} : { replacementDueAt: replacementDueAt(order.at, cycle) }),
  };
};

/**
 * One entry per sku, the latest purchase of it; most recent first, ties by sku
 * so the same history always gives the same list; at most OWNED_PRODUCTS_LIMIT.
 */
const mergeOwned = (owned: readonly OwnedProduct[], bought: readonly OwnedProduct[]): OwnedProduct[] => {
  const bySku = new Map<string, OwnedProduct>();
  for (const product of [...owned, ...bought]) {
    const kept = bySku.get(product.sku);
    // A late-arriving older order must not replace the newer purchase already on the card.
    if (kept === undefined || Date.parse(product.purchasedAt) >= Date.parse(kept.purchasedAt)) {
      bySku.set(product.sku, product);
    }
  }
  return [...bySku.values()]
    .sort(
      (a, b) =>
        Date.parse(b.purchasedAt) - Date.parse(a.purchasedAt) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0),
    )
    .slice(0, OWNED_PRODUCTS_LIMIT);
};

/**
 * The card after one more order. Pure: the caller dedupes orders (applying
 * the same order twice counts it twice) and refreshes the value fields
 * (rfm, tier, predictedClv, churnRisk) with refreshCustomerValue afterwards.
 */
export const applyOrder = (
  card: CustomerCard | undefined,
  order: Order,
  catalog: ReadonlyMap<string, Product>,
): CustomerCard => {
  const base = card ?? emptyCustomerCard();
  const orders = base.orders + 1;
  const currency = base.currency ?? order.currency;
  // An order in another currency counts amount for amount, as it always did: the card has one currency.
  const revenue = base.revenue + rescaleMinorUnits(order.revenue, order.currency, currency);
  const categories = { ...base.categories };
  const categoryLastPurchasedAt = { ...base.categoryLastPurchasedAt };
  for (const line of order.lines) {
    const category = categoryOf(line, catalog.get(line.sku));
    if (category === undefined) continue;
    categories[category] = (own(categories, category) ?? 0) + line.quantity;
    categoryLastPurchasedAt[category] = later(own(categoryLastPurchasedAt, category), order.at);
  }
  return {
    ...base,
    orders,
    revenue,
    averageOrderValue: averageOrderValue(revenue, orders),
    currency,
    firstPurchaseAt: earlier(base.firstPurchaseAt, order.at),
    lastPurchaseAt: later(base.lastPurchaseAt, order.at),
    categories,
    categoryLastPurchasedAt,
    ownedProducts: mergeOwned(
      base.ownedProducts,
      order.lines.map((line) => ownedProduct(line, order, catalog.get(line.sku))),
    ),
  };
};

/**
 * The card after a refund: revenue goes down by the amount (never below 0,
 * so refunding an order the card never saw cannot make revenue negative),
 * the order count stays (the customer did buy), and AOV follows revenue.
 */
export const applyRefund = (card: CustomerCard | undefined, refund: Refund): CustomerCard => {
  const base = card ?? emptyCustomerCard();
  const amount = rescaleMinorUnits(refund.amount, refund.currency, base.currency ?? refund.currency);
  const revenue = Math.max(0, base.revenue - amount);
  return {
    ...base,
    revenue,
    averageOrderValue: averageOrderValue(revenue, base.orders),
    refunds: base.refunds + 1,
  };
};

import { ancestorsOf } from './category-path.js';
import {
  boundedPurchaseDays,
  type CustomerCard,
  emptyCustomerCard,
  firstDayRevenueOf,
  type OwnedProduct,
  type PurchaseHistory,
  purchaseDaysOf,
  utcDayOf,
} from './customer-card.js';
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
 * contact's zone, at most a day off for a purchase made near midnight. A learned
 * cycle is not whole days, and a due date is a day: it is rounded to the nearest.
 */
export const replacementDueAt = (purchasedAt: string, cycleDays: number): string => {
  const purchaseDay = utcDayOf(purchasedAt) * DAY_MS;
  return checkedIsoDay(purchaseDay + Math.round(cycleDays) * DAY_MS, 'the replacement due date');
};

/** The replacement fields a catalog cycle sets: it rests on no purchases, so it has no support. */
export const catalogReplacement = (
  purchasedAt: string,
  cycleDays: number,
): Pick<OwnedProduct, 'replacementDueAt' | 'replacementCycleDays' | 'replacementSource'> => ({
  replacementDueAt: replacementDueAt(purchasedAt, cycleDays),
  replacementCycleDays: cycleDays,
  replacementSource: 'catalog',
});

/**
 * The card keeps the first and last purchase day, not every day, so a purchase
 * adds a day unless it falls on one of those two. Orders that arrive in time
 * order are counted exactly; a late order on a day in between that was already
 * counted counts it again. That over-count is bounded by the late orders, and
 * readers cap the count at the days from first to last (boundedPurchaseDays).
 */
const isNewPurchaseDay = (at: string, firstAt: string | undefined, lastAt: string | undefined): boolean => {
  const day = utcDayOf(at);
  return (
    (firstAt === undefined || utcDayOf(firstAt) !== day) && (lastAt === undefined || utcDayOf(lastAt) !== day)
  );
};

const withPurchase = (history: PurchaseHistory | undefined, at: string): PurchaseHistory => {
  if (history === undefined) return { firstAt: at, lastAt: at, days: 1 };
  const firstAt = earlier(history.firstAt, at);
  const lastAt = later(history.lastAt, at);
  const days = history.days + (isNewPurchaseDay(at, history.firstAt, history.lastAt) ? 1 : 0);
  return { firstAt, lastAt, days: boundedPurchaseDays(days, firstAt, lastAt) };
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
    firstPurchasedAt: order.at,
    purchaseDays: 1,
    orderId: order.orderId,
    ...(cycle === undefined ? {} : catalogReplacement(order.at, cycle)),
  };
};

// A late-arriving older order must not replace the newer purchase already on the card.
const isNewer = (candidate: OwnedProduct, kept: OwnedProduct): boolean =>
  Date.parse(candidate.purchasedAt) >= Date.parse(kept.purchasedAt);

/** The entry after one more purchase of its sku: the newer purchase's fields, the history of both. */
const withRepurchase = (kept: OwnedProduct, bought: OwnedProduct): OwnedProduct => {
  const history = withPurchase(
    {
      firstAt: kept.firstPurchasedAt ?? kept.purchasedAt,
      lastAt: kept.purchasedAt,
      days: kept.purchaseDays ?? 1,
    },
    bought.purchasedAt,
  );
  return {
    ...(isNewer(bought, kept) ? bought : kept),
    firstPurchasedAt: history.firstAt,
    purchaseDays: history.days,
  };
};

/**
 * One entry per sku, the latest purchase of it with the first and the days
 * of all; most recent first, ties by sku so the same history always gives the
 * same list; at most OWNED_PRODUCTS_LIMIT (a sku that falls off loses its history).
 */
const mergeOwned = (owned: readonly OwnedProduct[], bought: readonly OwnedProduct[]): OwnedProduct[] => {
  const bySku = new Map<string, OwnedProduct>();
  for (const product of owned) {
    const kept = bySku.get(product.sku);
    if (kept === undefined || isNewer(product, kept)) bySku.set(product.sku, product);
  }
  for (const product of bought) {
    const kept = bySku.get(product.sku);
    bySku.set(product.sku, kept === undefined ? product : withRepurchase(kept, product));
  }
  return [...bySku.values()]
    .sort(
      (a, b) =>
        Date.parse(b.purchasedAt) - Date.parse(a.purchasedAt) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0),
    )
    .slice(0, OWNED_PRODUCTS_LIMIT);
};

/**
 * An order before the first purchase day starts a new first day, and the old
 * first day's revenue becomes repeat revenue; one on the first day adds to it.
 */
const firstDayRevenueAfter = (base: CustomerCard, at: string, orderRevenue: number): number => {
  if (base.firstPurchaseAt === undefined) return orderRevenue;
  const day = utcDayOf(at);
  const firstDay = utcDayOf(base.firstPurchaseAt);
  if (day < firstDay) return orderRevenue;
  return day === firstDay ? firstDayRevenueOf(base) + orderRevenue : firstDayRevenueOf(base);
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
  const orderRevenue = rescaleMinorUnits(order.revenue, order.currency, currency);
  const revenue = base.revenue + orderRevenue;
  const categories = { ...base.categories };
  const categoryLastPurchasedAt = { ...base.categoryLastPurchasedAt };
  const levels = new Set<string>();
  for (const line of order.lines) {
    const category = categoryOf(line, catalog.get(line.sku));
    if (category === undefined) continue;
    categories[category] = (own(categories, category) ?? 0) + line.quantity;
    categoryLastPurchasedAt[category] = later(own(categoryLastPurchasedAt, category), order.at);
    for (const level of ancestorsOf(category)) levels.add(level);
  }
  // One order is one purchase day in each category, however many of its lines fall there.
  const categoryHistory = { ...(base.categoryHistory ?? {}) };
  for (const level of levels) categoryHistory[level] = withPurchase(own(categoryHistory, level), order.at);
  const firstPurchaseAt = earlier(base.firstPurchaseAt, order.at);
  const lastPurchaseAt = later(base.lastPurchaseAt, order.at);
  const newDay = isNewPurchaseDay(order.at, base.firstPurchaseAt, base.lastPurchaseAt);
  return {
    ...base,
    orders,
    revenue,
    averageOrderValue: averageOrderValue(revenue, orders),
    currency,
    firstPurchaseAt,
    lastPurchaseAt,
    purchaseDays: boundedPurchaseDays(
      purchaseDaysOf(base) + (newDay ? 1 : 0),
      firstPurchaseAt,
      lastPurchaseAt,
    ),
    firstDayRevenue: firstDayRevenueAfter(base, order.at, orderRevenue),
    categories,
    categoryLastPurchasedAt,
    categoryHistory,
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

import type { Contact } from '../domain/contact.js';
import type { CustomerCard } from '../domain/customer-card.js';
import type { Product } from '../domain/product.js';
import {
  categoryAffinity,
  newSince,
  type RecommendationInputs,
  type RecommendedItem,
  recommend,
} from '../domain/recommendations.js';
import type { CatalogStore } from '../ports/catalog-store.js';
import type { CoPurchaseStore } from '../ports/co-purchase-store.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { RecommendationSource } from '../ports/recommendation-source.js';
import { retryOnConflict } from './retry-on-conflict.js';

export interface RecommendationDeps {
  catalog: Pick<CatalogStore, 'releasedSince' | 'getMany'>;
  coPurchases: Pick<CoPurchaseStore, 'forSkus'>;
  contacts: Pick<ContactStore, 'get' | 'update'>;
}

/** The categories looked into: the customer's strongest, by recency-weighted affinity. */
const topCategories = 5;
/** Products read per category, for "new" and for the affinity pool. */
const perCategory = 50;
/** Owned products whose "bought together" partners are read. */
const ownedConsidered = 20;
const yearMs = 365 * 86_400_000;

/**
 * Reads what the recommenders need for one customer: releases in their top
 * categories after `releasedAfter`, the catalog pool, bought-together counts.
 * The ranking (lib/domain/recommendations.ts) then picks from it as of any
 * moment up to `now`, which is how a simulation asks at each virtual time.
 */
export const recommendationData = async (
  deps: RecommendationDeps,
  card: CustomerCard,
  window: { releasedAfter: Date; now: Date },
): Promise<RecommendationInputs> => {
  const { now } = window;
  const categories = categoryAffinity(card, now)
    .slice(0, topCategories)
    .map((score) => score.category);
  const since = window.releasedAfter.toISOString();
  const poolSince = new Date(now.getTime() - yearMs).toISOString();
  const [releases, pool, coPurchases] = await Promise.all([
    Promise.all(categories.map((category) => deps.catalog.releasedSince(category, since, perCategory))),
    Promise.all(categories.map((category) => deps.catalog.releasedSince(category, poolSince, perCategory))),
    deps.coPurchases.forSkus(card.ownedProducts.slice(0, ownedConsidered).map((owned) => owned.sku)),
  ]);
  const partnerSkus = [...new Set([...coPurchases.values()].flatMap((partners) => [...partners.keys()]))];
  const catalog = new Map<string, Product>([
    ...pool.flat().map((product): [string, Product] => [product.sku, product]),
    ...(await deps.catalog.getMany(partnerSkus)),
  ]);
  return { catalog, coPurchases, releases: releases.flat() };
};

/** The recommendations for one contact now; docs/customer-value.md explains the ranking. */
export const recommendationsFor = async (
  deps: RecommendationDeps,
  contact: Contact,
  now: Date,
  limit: number,
): Promise<RecommendedItem[]> => {
  const card = contact.customer;
  if (card === undefined) return [];
  const data = await recommendationData(deps, card, { releasedAfter: newSince(card, now), now });
  return recommend(card, data, { now, limit });
};

/** "New since the last recommendation" starts from now on, once a message with recommendations went out. */
export const rememberRecommended = async (deps: RecommendationDeps, contactId: string, at: Date) =>
  retryOnConflict(async () => {
    const contact = await deps.contacts.get(contactId);
    if (contact?.customer === undefined) return;
    await deps.contacts.update({
      contact: {
        ...contact,
        customer: { ...contact.customer, lastRecommendedAt: at.toISOString() },
        updatedAt: at.toISOString(),
        version: contact.version + 1,
      },
      expectedVersion: contact.version,
      consent: [],
      events: [],
      messages: [],
    });
  });

/** The port the deliver function reads recommendations through, built on these two. */
export const recommendationSource = (deps: RecommendationDeps): RecommendationSource => ({
  for: (contact, now, limit) => recommendationsFor(deps, contact, now, limit),
  remember: (contactId, at) => rememberRecommended(deps, contactId, at),
});

import { beforeEach, describe, expect, it } from 'vitest';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import { refreshCustomerValue } from '../../../lib/app/refresh-customer-value.js';
import { runJourneyJobs } from '../../../lib/app/run-journey-jobs.js';
import type { CustomerCard } from '../../../lib/domain/customer-card.js';
import { applyOrder } from '../../../lib/domain/customer-card-updates.js';
import type { JobCursor } from '../../../lib/domain/journey-job.js';
import { type SeededRandom, seededRandom } from '../../../scripts/demo/seeded-random.js';
import { aContact, aSignup } from '../../support/builders.js';
import { anOrder } from '../customer/support/customers.js';
import { aWorld, jobDepsFor } from './support/worlds.js';

const DAY_MS = 86_400_000;
const now = Date.parse('2026-11-02T10:00:00.000Z');
let world: MemoryWorld;

beforeEach(() => {
  world = aWorld('2026-11-02T10:00:00.000Z');
});

/**
 * A card built order by order, as ingestion keeps it: paper bought from `startDaysAgo` at
 * random gaps around the customer's own mean (a Poisson process, as BG/NBD assumes), of
 * varying value, until the customer stops buying (after any order, with `stop` chance).
 */
const cardOf = (index: number, random: SeededRandom): CustomerCard => {
  const meanGap = random.between(25, 70);
  const stop = random.between(0.05, 0.5);
  // Customers differ in what they spend, as Gamma-Gamma assumes; their orders vary around it.
  const usualSpend = random.between(10, 80);
  let card: CustomerCard | undefined;
  for (let k = 0, day = random.int(60, 700); day > 0; k += 1) {
    const price = Math.round(usualSpend * random.between(0.5, 1.5) * 100) / 100;
    const order = anOrder({
      orderId: `o-${index}-${k}`,
      at: new Date(now - day * DAY_MS).toISOString(),
      revenue: price,
      lines: [{ sku: 'PAPER-A4-BOX', category: 'office/paper', price, quantity: 1 }],
    });
    card = applyOrder(card, order, new Map());
    if (random.chance(stop)) break;
    day -= Math.max(1, Math.round(-Math.log(1 - random.next()) * meanGap));
  }
  if (card === undefined) throw new RangeError('a customer needs an order');
  return card;
};

const addCustomers = async (count: number) => {
  const random = seededRandom(5);
  for (let index = 0; index < count; index += 1)
    await world.contacts.create(aSignup(aContact({ customer: cardOf(index, random) })));
};

const everyCard = async (): Promise<CustomerCard[]> => {
  const cards: CustomerCard[] = [];
  for (let cursor: JobCursor | undefined = { shard: 0 }; cursor !== undefined; ) {
    const page = await world.contacts.page(cursor, 100);
    for (const contact of page.items) if (contact.customer !== undefined) cards.push(contact.customer);
    cursor = page.next;
  }
  return cards;
};

const refresh = () =>
  refreshCustomerValue(
    {
      contacts: world.contacts,
      customerValue: world.customerValue,
      jobs: world.jobs,
      ids: world.ids,
      clock: world.clock,
    },
    () => false,
  );

describe('when the daily refresh reads a base with enough repeat customers', () => {
  it('fits the value models, learns the cycles, and the rescore puts both on every card', async () => {
    await addCustomers(500);
    const outcome = await refresh();
    if (outcome.status !== 'refreshed') throw new Error('the refresh did not finish');
    expect(outcome.valueModel.status).toBe('fitted');
    const thresholds = await world.customerValue.thresholds();
    expect(thresholds?.valueModel?.status).toBe('fitted');
    if (thresholds?.valueModel?.status !== 'fitted') return;
    expect(thresholds.valueModel.fit.unit).toBe('day');
    expect(thresholds.valueModel.fit.bgnbd.converged).toBe(true);
    expect(thresholds.valueModel.clvCuts).toHaveLength(4);

    const cycles = await world.customerValue.cycles();
    const paper = cycles?.categories.find((cycle) => cycle.key === 'office/paper');
    // Customers' mean gaps lie between 25 and 70 days.
    expect(paper?.medianDays).toBeGreaterThan(25);
    expect(paper?.medianDays).toBeLessThan(70);
    expect(cycles?.categories.map((cycle) => cycle.key)).toEqual(['office', 'office/paper']);

    await runJourneyJobs(jobDepsFor(world), { outOfTime: () => false });
    const cards = await everyCard();
    expect(cards).toHaveLength(500);
    for (const card of cards) {
      expect(card.valueModel).toBe('bg-nbd/gamma-gamma');
      expect(card.pAlive).toBeGreaterThanOrEqual(0);
      expect(card.valueScore).toBeGreaterThanOrEqual(1);
      const paperOwned = card.ownedProducts.find((owned) => owned.sku === 'PAPER-A4-BOX');
      expect(paperOwned?.replacementSource).toMatch(/^(personal|learned)$/);
    }
    // A fifth of the base, give or take ties, is in the top value quintile.
    const top = cards.filter((card) => card.valueScore === 5).length / cards.length;
    expect(top).toBeGreaterThan(0.15);
    expect(top).toBeLessThanOrEqual(0.2);
  });
});

describe('when the base has too few repeat customers', () => {
  it('keeps the heuristic and says why', async () => {
    await addCustomers(40);
    const outcome = await refresh();
    if (outcome.status !== 'refreshed') throw new Error('the refresh did not finish');
    expect(outcome.valueModel).toEqual({
      status: 'heuristic',
      reason: expect.stringMatching(/repeat customers .*the models need 200/),
    });
    await runJourneyJobs(jobDepsFor(world), { outOfTime: () => false });
    const cards = await everyCard();
    expect(cards).toHaveLength(40);
    for (const card of cards) {
      expect(card.valueModel).toBe('heuristic');
      expect(card).not.toHaveProperty('pAlive');
    }
  });
});

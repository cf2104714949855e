import { repeatSummaryOf } from '../domain/customer-card.js';
import {
  type ClvModel,
  defaultClvModel,
  type RfmBaseCustomer,
  type RfmThresholds,
  rfmThresholds,
  weightedQuintileCuts,
} from '../domain/customer-value.js';
import { customerValueJobSubject, type JobCursor, type JourneyJob } from '../domain/journey-job.js';
import { compressSummaries, type RepeatSummary } from '../domain/repeat-summary.js';
import { cycleLearner, storableCycles } from '../domain/replacement-cycles.js';
import { fittedCustomerValue, fitValueModels, type ValueModelOutcome } from '../domain/value-model.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { CustomerValueStore } from '../ports/customer-value-store.js';
import { type EnqueueJobDeps, enqueueJob } from './journey-jobs.js';

export interface RefreshCustomerValueDeps extends EnqueueJobDeps {
  contacts: Pick<ContactStore, 'page'>;
  customerValue: Pick<CustomerValueStore, 'saveThresholds' | 'saveCycles'>;
  settings?: {
    /** The CLV's horizon and discount (CLV_HORIZON_YEARS, CLV_ANNUAL_DISCOUNT_RATE). */
    clv?: ClvModel;
    /** Repeat customers the value models need before they replace the heuristic (VALUE_MODEL_MIN_REPEAT_CUSTOMERS). */
    minRepeatCustomers?: number;
  };
}

export type RefreshOutcome =
  | {
      status: 'refreshed';
      customers: number;
      /** Which model scores customers now, and why the heuristic when it does. */
      valueModel: NonNullable<RfmThresholds['valueModel']>;
      /** Category levels and products with a learned replacement cycle. */
      learnedCycles: number;
      job: JourneyJob;
    }
  /** Ran out of time before every contact was read; nothing was saved, the next run starts over. */
  | { status: 'incomplete'; read: number };

const pageSize = 500;

const heuristicBecause = (outcome: Exclude<ValueModelOutcome, { status: 'fitted' }>): string => {
  switch (outcome.status) {
    case 'too-few':
      return `${outcome.repeatCustomers} repeat customers (${outcome.valuedRepeatCustomers} with a positive repeat value); the models need ${outcome.needed}`;
    case 'not-converged':
    case 'unusable':
      return outcome.detail;
  }
};

/**
 * The scheduled half of customer value: reads every customer's card once,
 * takes the base-wide RFM cuts and median interval, fits BG/NBD and
 * Gamma-Gamma to the cards' repeat summaries (in days) with the fitted CLV's
 * quintile cuts, learns the replacement cycles, stores them (each purchase is
 * scored against them as it arrives), and files a job that rescores everyone,
 * since recency moves with time even for customers who do not buy.
 */
export const refreshCustomerValue = async (
  deps: RefreshCustomerValueDeps,
  outOfTime: () => boolean,
): Promise<RefreshOutcome> => {
  const now = deps.clock.now();
  const customers: RfmBaseCustomer[] = [];
  const summaries = new Map<string, RepeatSummary>();
  const cycles = cycleLearner(now);
  let read = 0;
  for (let cursor: JobCursor | undefined = { shard: 0 }; cursor !== undefined; ) {
    if (outOfTime()) return { status: 'incomplete', read };
    const page = await deps.contacts.page(cursor, pageSize);
    read += page.items.length;
    for (const { customer } of page.items) {
      if (customer === undefined) continue;
      customers.push({
        orders: customer.orders,
        revenue: customer.revenue,
        firstPurchaseAt: customer.firstPurchaseAt,
        lastPurchaseAt: customer.lastPurchaseAt,
      });
      cycles.add(customer);
      if (customer.orders === 0) continue;
      // Grouped as they are read: a million cards are far fewer distinct summaries.
      const summary = repeatSummaryOf(customer, now);
      const key = `${summary.x}|${summary.tx}|${summary.T}|${summary.meanValue}`;
      const known = summaries.get(key);
      if (known === undefined) summaries.set(key, { ...summary, count: 1 });
      else known.count += 1;
    }
    cursor = page.next;
  }
  const clv = deps.settings?.clv ?? defaultClvModel;
  const grouped = compressSummaries([...summaries.values()]);
  const outcome = fitValueModels(grouped, {
    unit: 'day',
    now,
    ...(deps.settings?.minRepeatCustomers === undefined
      ? {}
      : { minRepeatCustomers: deps.settings.minRepeatCustomers }),
  });
  const valueModel: NonNullable<RfmThresholds['valueModel']> =
    outcome.status === 'fitted'
      ? {
          status: 'fitted',
          fit: outcome.fit,
          clvCuts: weightedQuintileCuts(
            grouped.map((summary) => ({
              value: Math.round(
                fittedCustomerValue(outcome.fit, summary, {
                  horizonDays: clv.horizonYears * 365,
                  annualDiscountRate: clv.annualDiscountRate,
                }).clv,
              ),
              weight: summary.count,
            })),
          ),
        }
      : { status: 'heuristic', reason: heuristicBecause(outcome) };
  const thresholds: RfmThresholds = { ...rfmThresholds(customers, now), valueModel, clv };
  const learned = storableCycles(cycles.result());
  await deps.customerValue.saveCycles(learned);
  await deps.customerValue.saveThresholds(thresholds);
  const job = await enqueueJob(deps, customerValueJobSubject, {
    kind: 'customer-rescore',
    thresholdsAt: thresholds.computedAt,
  });
  return {
    status: 'refreshed',
    customers: thresholds.customers,
    valueModel,
    learnedCycles: learned.categories.length + learned.products.length,
    job,
  };
};

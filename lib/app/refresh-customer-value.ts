import { type RfmBaseCustomer, rfmThresholds } from '../domain/customer-value.js';
import { customerValueJobSubject, type JobCursor, type JourneyJob } from '../domain/journey-job.js';
import type { ContactStore } from '../ports/contact-store.js';
import type { CustomerValueStore } from '../ports/customer-value-store.js';
import { type EnqueueJobDeps, enqueueJob } from './journey-jobs.js';

export interface RefreshCustomerValueDeps extends EnqueueJobDeps {
  contacts: Pick<ContactStore, 'page'>;
  customerValue: Pick<CustomerValueStore, 'saveThresholds'>;
}

export type RefreshOutcome =
  | { status: 'refreshed'; customers: number; job: JourneyJob }
  /** Ran out of time before every contact was read; nothing was saved, the next run starts over. */
  | { status: 'incomplete'; read: number };

const pageSize = 500;

/**
 * The scheduled half of customer value: reads every customer's numbers, takes
 * the base-wide RFM cuts and median interval, stores them (each purchase is
 * scored against them as it arrives), and files a job that rescores everyone,
 * since recency moves with time even for customers who do not buy.
 */
export const refreshCustomerValue = async (
  deps: RefreshCustomerValueDeps,
  outOfTime: () => boolean,
): Promise<RefreshOutcome> => {
  const customers: RfmBaseCustomer[] = [];
  let read = 0;
  for (let cursor: JobCursor | undefined = { shard: 0 }; cursor !== undefined; ) {
    if (outOfTime()) return { status: 'incomplete', read };
    const page = await deps.contacts.page(cursor, pageSize);
    read += page.items.length;
    for (const contact of page.items) if (contact.customer !== undefined) customers.push(contact.customer);
    cursor = page.next;
  }
  const thresholds = rfmThresholds(customers, deps.clock.now());
  await deps.customerValue.saveThresholds(thresholds);
  const job = await enqueueJob(deps, customerValueJobSubject, {
    kind: 'customer-rescore',
    thresholdsAt: thresholds.computedAt,
  });
  return { status: 'refreshed', customers: thresholds.customers, job };
};

import type { CustomerValueStatus } from '../domain/customer-value-status.js';
import type { CustomerValueStore } from '../ports/customer-value-store.js';

export interface CustomerValueStatusDeps {
  customerValue: Pick<CustomerValueStore, 'thresholds' | 'cycles'>;
}

/** The model that scores customers now and what the last refresh learned. */
export const customerValueStatus = async (deps: CustomerValueStatusDeps): Promise<CustomerValueStatus> => {
  const [thresholds, cycles] = await Promise.all([
    deps.customerValue.thresholds(),
    deps.customerValue.cycles(),
  ]);
  return {
    refreshed: thresholds !== undefined,
    ...(thresholds === undefined ? {} : { thresholds }),
    ...(cycles === undefined
      ? {}
      : {
          cycles: {
            learnedAt: cycles.computedAt,
            categories: cycles.categories.length,
            products: cycles.products.length,
          },
        }),
  };
};

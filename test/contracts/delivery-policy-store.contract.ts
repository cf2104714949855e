import { beforeEach, describe, expect, it } from 'vitest';
import { loadDeliveryPolicy } from '../../lib/domain/delivery-policy.js';
import type { ContractStores, MakeStores } from './stores.js';

/** DeliveryPolicyStore: none until published, then the latest, an empty policy included. */
export const deliveryPolicyStoreContract = (name: string, make: MakeStores) =>
  describe(name, () => {
    let stores: ContractStores;
    beforeEach(async () => {
      stores = await make();
    });

    it('has no policy before one is published, then the latest as it was given', async () => {
      expect(await stores.deliveryPolicies.get()).toBeUndefined();
      const policy = loadDeliveryPolicy(`
email:
  caps: [{ max: 3, per: P7D }]
  quiet_hours: { start: "21:00", end: "08:00" }
  when_capped: defer
`);
      await stores.deliveryPolicies.put(policy, new Date('2026-11-01T09:00:00.000Z'));
      expect(await stores.deliveryPolicies.get()).toEqual(policy);

      await stores.deliveryPolicies.put({}, new Date('2026-11-02T09:00:00.000Z'));
      expect(await stores.deliveryPolicies.get()).toEqual({});
    });
  });

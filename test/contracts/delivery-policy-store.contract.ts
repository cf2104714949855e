import { beforeEach, describe, expect, it } from 'vitest';
import { loadDeliveryPolicy } from '../../lib/domain/delivery-policy.js';
import { ConcurrentUpdateError } from '../../lib/domain/errors.js';
import type { ContractStores, MakeStores } from './stores.js';

/**
 * DeliveryPolicyStore: none until published, then the latest, an empty policy
 * included; every publication counts the version up, and a write over a version
 * is refused once another publication came first.
 */
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

    it('counts every publication as a version and tells when the one in force was published', async () => {
      expect(await stores.deliveryPolicies.current()).toBeUndefined();
      const first = await stores.deliveryPolicies.put({}, new Date('2026-11-01T09:00:00.000Z'));
      expect(first).toEqual({ policy: {}, version: 1, publishedAt: '2026-11-01T09:00:00.000Z' });

      const capped = loadDeliveryPolicy('sms: { caps: [{ max: 1, per: P1D }], when_capped: skip }');
      const second = await stores.deliveryPolicies.put(capped, new Date('2026-11-02T10:30:00.000Z'), 1);

      expect(second).toEqual({ policy: capped, version: 2, publishedAt: '2026-11-02T10:30:00.000Z' });
      expect(await stores.deliveryPolicies.current()).toEqual(second);
    });

    it('refuses a write over a version another publication has replaced, and keeps that one', async () => {
      await stores.deliveryPolicies.put({}, new Date('2026-11-01T09:00:00.000Z'), 0);
      const kept = await stores.deliveryPolicies.put(
        loadDeliveryPolicy('email: { caps: [{ max: 2, per: P7D }] }'),
        new Date('2026-11-01T10:00:00.000Z'),
        1,
      );

      await expect(
        stores.deliveryPolicies.put({}, new Date('2026-11-01T11:00:00.000Z'), 1),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      await expect(
        stores.deliveryPolicies.put({}, new Date('2026-11-01T11:00:00.000Z'), 0),
      ).rejects.toBeInstanceOf(ConcurrentUpdateError);
      expect(await stores.deliveryPolicies.current()).toEqual(kept);
    });

    it('lets a deployment publish over any version', async () => {
      await stores.deliveryPolicies.put({}, new Date('2026-11-01T09:00:00.000Z'));
      await stores.deliveryPolicies.put({}, new Date('2026-11-01T10:00:00.000Z'), 1);

      const deployed = await stores.deliveryPolicies.put({}, new Date('2026-11-03T08:00:00.000Z'));

      expect(deployed.version).toBe(3);
    });
  });

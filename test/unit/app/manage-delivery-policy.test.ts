import { beforeEach, describe, expect, it } from 'vitest';
import { deliveryPolicyKey } from '../../../lib/adapters/dynamodb/delivery-policy-items.js';
import type { MemoryWorld } from '../../../lib/adapters/memory/memory-world.js';
import type { DeliverDeps } from '../../../lib/app/deliver-message.js';
import { deliverMessage } from '../../../lib/app/deliver-message.js';
import { listTopics } from '../../../lib/app/list-topics.js';
import {
  getDeliveryPolicy,
  type ManageDeliveryPolicyDeps,
  putDeliveryPolicy,
  validateDeliveryPolicy,
} from '../../../lib/app/manage-delivery-policy.js';
import { publishContent } from '../../../lib/app/publish-content.js';
import { loadDeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import { ConcurrentUpdateError } from '../../../lib/domain/errors.js';
import { fieldsOf } from './support/admin.js';
import {
  aDeliveryWorld,
  aJourneyMessage,
  aSubscribedContact,
  type DeliveryWorld,
  deploymentFor,
} from './support/worlds.js';

let delivery: DeliveryWorld;
let world: MemoryWorld;
let deps: ManageDeliveryPolicyDeps;

beforeEach(async () => {
  delivery = await aDeliveryWorld({ now: '2026-11-23T12:00:00.000Z' });
  world = delivery.world;
  deps = { policies: world.deliveryPolicies, clock: world.clock, policyMaxAgeMs: 5 * 60_000 };
});

const shipped = loadDeliveryPolicy(`
email:
  caps: [{ max: 3, per: P7D }]
  quiet_hours: { start: "21:00", end: "08:00" }
`);

/** What a deployment does with delivery-policy.yaml. */
const deploy = () =>
  publishContent(
    {
      journeys: world.journeys,
      templates: world.templates,
      policies: world.deliveryPolicies,
      clock: world.clock,
      jobs: world.jobs,
      ids: world.ids,
    },
    { journeys: [], templates: [], segments: [], deliveryPolicy: shipped },
  );

const oneEmailADay = {
  email: { caps: [{ max: 1, per: 'P1D' }], when_capped: 'skip' },
  sms: { quiet_hours: { start: '20:00', end: '09:00' } },
};

describe('reading the delivery policy', () => {
  it('is an empty policy at version 0, published never, before any deployment', async () => {
    expect(await getDeliveryPolicy(deps)).toEqual({
      policy: {},
      version: 0,
      publishedAt: null,
      takesEffectWithinSeconds: 300,
    });
  });

  it('is the deployment’s file, with when it was published', async () => {
    await deploy();

    expect(await getDeliveryPolicy(deps)).toEqual({
      policy: shipped,
      version: 1,
      publishedAt: '2026-11-23T12:00:00.000Z',
      takesEffectWithinSeconds: 300,
    });
  });

  it('reads a policy stored before versions were counted as version 0, which an admin may replace', async () => {
    await world.table.write({
      put: {
        ...deliveryPolicyKey,
        type: 'config',
        policy: JSON.stringify(shipped),
        publishedAt: '2026-10-01T09:00:00.000Z',
      },
    });

    expect(await getDeliveryPolicy(deps)).toMatchObject({
      version: 0,
      publishedAt: '2026-10-01T09:00:00.000Z',
    });
    expect(await putDeliveryPolicy(deps, { policy: oneEmailADay, version: 0 })).toMatchObject({ version: 1 });
  });
});

describe('when an admin replaces the delivery policy', () => {
  beforeEach(async () => {
    await deploy();
    world.clock.set('2026-11-23T13:00:00.000Z');
  });

  it('stores it whole as the next version, and answers it as read back', async () => {
    const answer = await putDeliveryPolicy(deps, { policy: oneEmailADay, version: 1 });

    const expected = {
      policy: {
        email: { caps: [{ max: 1, per: 'P1D' }], when_capped: 'skip' },
        sms: { caps: [], quiet_hours: { start: '20:00', end: '09:00' }, when_capped: 'defer' },
      },
      version: 2,
      publishedAt: '2026-11-23T13:00:00.000Z',
      takesEffectWithinSeconds: 300,
    };
    expect(answer).toEqual(expected);
    expect(await getDeliveryPolicy(deps)).toEqual(expected);
  });

  it('is the policy deliver applies: a second marketing email that day is skipped', async () => {
    await putDeliveryPolicy(deps, { policy: oneEmailADay, version: 1 });
    const { deliver } = deploymentFor(world, () => world.deliveryPolicies.get());
    const deliverDeps: DeliverDeps = { ...deliver, settings: { ...deliver.settings, maxClaimWaitMs: 0 } };
    const contact = aSubscribedContact();
    const second = aJourneyMessage(contact.id);
    await delivery.add(contact, [
      aJourneyMessage(contact.id, {
        key: `welcome#${contact.id}#earlier#1`,
        status: 'sent',
        sentAt: '2026-11-23T08:00:00.000Z',
        providerMessageId: 'ses-earlier',
      }),
      second,
    ]);

    expect(await deliverMessage(deliverDeps, second)).toEqual({ outcome: 'skipped', reason: 'capped' });
  });

  it('refuses an edit over a version another publication replaced, and keeps that one', async () => {
    await putDeliveryPolicy(deps, { policy: {}, version: 1 });

    await expect(putDeliveryPolicy(deps, { policy: oneEmailADay, version: 1 })).rejects.toBeInstanceOf(
      ConcurrentUpdateError,
    );
    expect(await getDeliveryPolicy(deps)).toMatchObject({ policy: {}, version: 2 });
  });

  it('refuses a bad policy, naming each field by its path, and stores nothing', async () => {
    const fields = await fieldsOf(
      putDeliveryPolicy(deps, {
        policy: {
          email: {
            caps: [
              { max: 3, per: 'P7D' },
              { max: 0, per: 'P7D' },
            ],
            quiet_hours: { start: '21:00', end: '21:00' },
          },
          sms: { caps: [{ max: 1, per: 'a day' }], when_capped: 'drop' },
          push: {},
        },
        version: 1,
      }),
    );

    expect(fields).toEqual({
      'policy.email.caps.1.max': expect.stringContaining('>=1'),
      'policy.email.quiet_hours': 'start and end must differ',
      'policy.sms.caps.0.per': 'must be an ISO 8601 duration such as PT15M, P3D or P1Y',
      'policy.sms.when_capped': expect.stringContaining('"skip"'),
      policy: expect.stringContaining('push'),
    });
    expect(await getDeliveryPolicy(deps)).toMatchObject({ policy: shipped, version: 1 });
  });

  it('needs the version it was read at', async () => {
    expect(await fieldsOf(putDeliveryPolicy(deps, { policy: oneEmailADay }))).toEqual({
      version: expect.any(String),
    });
  });
});

describe('validating a delivery policy', () => {
  it('names the problems by path and stores nothing; the version may be left out', async () => {
    expect(validateDeliveryPolicy({ policy: { email: { caps: [{ max: 2, per: 'P0D' }] } } })).toEqual({
      valid: false,
      problems: [{ path: 'policy.email.caps.0.per', message: 'must be longer than zero' }],
    });
    expect(validateDeliveryPolicy({ policy: oneEmailADay })).toEqual({ valid: true, problems: [] });
    expect(validateDeliveryPolicy({ policy: {}, version: 3, extra: true }).valid).toBe(false);
    expect(await getDeliveryPolicy(deps)).toMatchObject({ version: 0 });
  });
});

describe('the topics contacts can pick', () => {
  it('are the configured ones, in their order, with their labels', () => {
    expect(
      listTopics({
        topics: [
          { id: 'offers', label: 'Offers, deals' },
          { id: 'newsletter', label: 'Our newsletter' },
        ],
      }),
    ).toEqual({
      topics: [
        { id: 'offers', label: 'Offers, deals' },
        { id: 'newsletter', label: 'Our newsletter' },
      ],
    });
  });
});

import { describe, expect, it } from 'vitest';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { aContact, anEvent, now, publish, tryStep } from './support/journeys.js';

const base = {
  id: 'vip',
  name: 'VIP',
  trigger: { event: 'order_completed' },
  entry: { reentry: 'always', concurrent: true },
  start: 'mark',
};

const order = anEvent({ id: 'order-1', type: 'order_completed', data: { order_id: 'A-1', total: 250 } });

describe('update_contact', () => {
  const journey = publish({
    ...base,
    nodes: [
      {
        id: 'mark',
        type: 'update_contact',
        set: {
          tier: 'vip',
          last_order: { $ref: 'event.data.order_id' },
          missing: { $ref: 'event.data.nope' },
        },
        unset: ['trial'],
        next: 'check',
      },
      {
        id: 'check',
        type: 'branch',
        branches: [{ condition: { 'contact.attributes.tier': 'vip' }, next: 'welcome-vip' }],
        else: 'done',
      },
      { id: 'welcome-vip', type: 'send_email', template: 'vip' },
      { id: 'done', type: 'exit' },
    ],
  });

  describe('when the node runs', () => {
    const result = tryStep(
      journey,
      undefined,
      order,
      now,
      aContact({ attributes: { trial: true, city: 'Oslo' } }),
    );

    it('asks for the whole new attribute map and names what changed, leaving absent references out', () => {
      expect(result?.actions[0]).toEqual({
        type: 'update_contact',
        nodeId: 'mark',
        visit: 1,
        attributes: { city: 'Oslo', tier: 'vip', last_order: 'A-1' },
        changed: ['tier', 'last_order', 'trial'],
      });
    });

    it('lets the nodes after it in the same step see the change', () => {
      expect(result?.actions.map((action) => action.type)).toEqual(['update_contact', 'send_email']);
    });
  });

  it('asks for nothing when the contact already holds those values', () => {
    const settled = aContact({ attributes: { tier: 'vip', last_order: 'A-1' } });
    const result = tryStep(journey, undefined, order, now, settled);
    expect(result?.actions.map((action) => action.type)).toEqual(['send_email']);
  });

  it('updates the control group too: it is data, not a message', () => {
    const control = publish({ ...journey.definition, holdout: 100 });
    const result = tryStep(control, undefined, order);
    expect(result?.enrollment.group).toBe('control');
    expect(result?.actions.map((action) => action.type)).toEqual(['update_contact']);
  });

  it('refuses attribute names that are not plain identifiers, and a node with nothing to do', () => {
    const bad = JourneyDefinition.safeParse({
      ...base,
      nodes: [
        { id: 'mark', type: 'update_contact', set: { 'consent.email': 'x' }, next: 'empty' },
        { id: 'empty', type: 'update_contact' },
      ],
    });
    expect(bad.success).toBe(false);
    const problems = bad.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('nodes.0.set.consent.email'),
        'nodes.1: an update_contact node needs set or unset',
      ]),
    );
  });
});

describe('emit_event', () => {
  const journey = publish({
    ...base,
    nodes: [
      {
        id: 'mark',
        type: 'emit_event',
        detail_type: 'Big Order',
        detail: { order: { $ref: 'event.data.order_id' }, total: { $ref: 'event.data.total' }, kind: 'b2b' },
      },
    ],
  });

  it('asks for the event with the resolved detail and who and where it came from', () => {
    const result = tryStep(journey, undefined, order);
    expect(result?.actions).toEqual([
      {
        type: 'emit_event',
        nodeId: 'mark',
        visit: 1,
        detailType: 'Big Order',
        detail: {
          order: 'A-1',
          total: 250,
          kind: 'b2b',
          contactId: 'c1',
          journeyId: 'vip',
          enrollmentId: 'order-1',
          group: 'treatment',
        },
      },
    ]);
    expect(result?.enrollment.status).toBe('completed');
  });

  it('names a malformed reference where it is', () => {
    const bad = JourneyDefinition.safeParse({
      ...base,
      nodes: [{ id: 'mark', type: 'emit_event', detail_type: 'X', detail: { a: { $ref: 'order.total' } } }],
    });
    expect(bad.error?.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/^nodes\.0\.detail\.a\.\$ref: must be a path into contact, event or enrollment/),
    ]);
  });
});

describe('conditions that compare with the trigger', () => {
  const journey = publish({
    ...base,
    id: 'same-category',
    exit_when: [
      {
        event: 'order_completed',
        condition: {
          'event.data.products.category': { $in: { $ref: 'enrollment.trigger.data.products.category' } },
        },
      },
    ],
    start: 'wait',
    nodes: [
      { id: 'wait', type: 'wait', duration: 'P30D', next: 'remind' },
      { id: 'remind', type: 'send_email', template: 'reminder' },
    ],
  });
  const copier = anEvent({
    id: 'order-copier',
    type: 'order_completed',
    data: {
      products: [
        { sku: 'C-1', category: 'copiers' },
        { sku: 'P-1', category: 'paper' },
      ],
    },
  });
  const entered = tryStep(journey, undefined, copier);

  it('keeps the triggering event on the enrollment', () => {
    expect(entered?.enrollment.trigger).toEqual({
      type: 'order_completed',
      at: copier.at,
      data: copier.data,
    });
  });

  describe('when a later order is in one of the same categories', () => {
    it('exits', () => {
      const later = anEvent({
        id: 'order-2',
        type: 'order_completed',
        data: { products: [{ sku: 'P-2', category: 'paper' }] },
      });
      const result = entered && tryStep(journey, entered.enrollment, later);
      expect(result?.enrollment).toMatchObject({ status: 'exited', exitReason: 'exit_when order_completed' });
    });
  });

  describe('when a later order is in another category', () => {
    it('stays', () => {
      const later = anEvent({
        id: 'order-3',
        type: 'order_completed',
        data: { products: [{ sku: 'B-1', category: 'books' }] },
      });
      expect(entered && tryStep(journey, entered.enrollment, later)).toBeUndefined();
    });
  });

  describe('when the trigger had no categories at all', () => {
    it('never matches rather than matching everything without one', () => {
      const bare = tryStep(
        journey,
        undefined,
        anEvent({ id: 'order-bare', type: 'order_completed', data: {} }),
      );
      const later = anEvent({ id: 'order-4', type: 'order_completed', data: {} });
      expect(bare && tryStep(journey, bare.enrollment, later)).toBeUndefined();
    });
  });
});

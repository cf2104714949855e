import { describe, expect, it } from 'vitest';
import type { DeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import {
  maxTimelineEntries,
  type SimulationEvent,
  SimulationInputError,
} from '../../../lib/domain/simulate.js';
import { aContact } from '../domain/support/journeys.js';
import { at, brief, type SimulationCase, sent, simulateCase } from './support/simulation.js';

/** Two emails a day apart; no exit rule, so consent is what stops a send. */
const digest = (overrides: Record<string, unknown> = {}): JourneyDefinition =>
  JourneyDefinition.parse({
    id: 'digest',
    name: 'Digest',
    trigger: { event: 'order_completed' },
    start: 'first',
    nodes: [
      { id: 'first', type: 'send_email', template: 'digest-one', next: 'pause' },
      { id: 'pause', type: 'wait', duration: 'P1D', next: 'second' },
      { id: 'second', type: 'send_email', template: 'digest-two', topic: 'newsletter' },
    ],
    ...overrides,
  });

const ordered = (id: string, orderedAt: string): SimulationEvent => ({
  id,
  type: 'order_completed',
  at: orderedAt,
});
const input = (overrides: Partial<SimulationCase> = {}): SimulationCase => ({
  definition: digest(),
  templates: 'plain',
  contact: aContact(),
  events: [ordered('o1', '2026-05-04T10:00:00Z')],
  from: at('2026-05-01T00:00:00Z'),
  to: at('2026-08-01T00:00:00Z'),
  ...overrides,
});

describe('simulate', () => {
  it('is deterministic', async () => {
    expect(await simulateCase(input())).toEqual(await simulateCase(input()));
  });

  it('ignores events outside the period', async () => {
    const result = await simulateCase(
      input({ events: [ordered('early', '2026-04-30T10:00:00Z'), ordered('late', '2026-08-02T10:00:00Z')] }),
    );
    expect(result.timeline).toEqual([]);
  });

  it('stops the clock at the end of the period, leaving the enrollment waiting', async () => {
    const result = await simulateCase(input({ to: at('2026-05-04T12:00:00Z') }));
    expect(brief(result.timeline)).toEqual([
      '2026-05-04T10:00 entered',
      '2026-05-04T10:00 sent email digest-one',
      '2026-05-04T10:00 waiting at pause until 2026-05-05T10:00',
    ]);
    expect(result.enrollments[0]).toMatchObject({ status: 'active', currentNode: 'pause' });
  });

  describe('when the contact unsubscribes mid-journey', () => {
    it('skips the later email as not subscribed', async () => {
      const result = await simulateCase(
        input({
          events: [
            ordered('o1', '2026-05-04T10:00:00Z'),
            { type: 'unsubscribed', at: '2026-05-04T18:00:00Z', data: { channel: 'email' } },
          ],
        }),
      );
      expect(brief(result.timeline).slice(-2)).toEqual([
        '2026-05-05T10:00 skipped email digest-two: not-subscribed',
        '2026-05-05T10:00 completed',
      ]);
    });
  });

  it('skips an email on a topic the contact does not hold', async () => {
    const result = await simulateCase(input({ contact: aContact({ topics: ['recommendations'] }) }));
    expect(brief(result.timeline)).toContain(
      '2026-05-05T10:00 skipped email digest-two: topic-not-subscribed',
    );
    expect(sent(result.timeline)).toEqual(['2026-05-04T10:00 digest-one']);
  });

  describe('for the holdout’s control group', () => {
    it('records every email it was spared, and sends none', async () => {
      const result = await simulateCase(input({ definition: digest({ holdout: 100 }) }));
      expect(brief(result.timeline)).toEqual([
        '2026-05-04T10:00 entered (control)',
        '2026-05-04T10:00 skipped email digest-one: control-group',
        '2026-05-04T10:00 waiting at pause until 2026-05-05T10:00',
        '2026-05-05T10:00 skipped email digest-two: control-group',
        '2026-05-05T10:00 completed',
      ]);
    });
  });

  describe('under a delivery policy', () => {
    const policy = (when_capped: 'skip' | 'defer'): DeliveryPolicy => ({
      email: { caps: [{ max: 1, per: 'P1D' }], quiet_hours: { start: '21:00', end: '08:00' }, when_capped },
    });
    const twoOrders = [ordered('o1', '2026-05-04T10:00:00Z'), ordered('o2', '2026-05-04T15:00:00Z')];

    it('defers a capped email and sends it when the cap allows', async () => {
      const result = await simulateCase(
        input({
          definition: digest({ entry: { reentry: 'always', concurrent: true } }),
          events: twoOrders,
          policy: policy('defer'),
        }),
      );
      expect(brief(result.timeline).filter((line) => / (sent|deferred|skipped) /.test(line))).toEqual([
        '2026-05-04T10:00 sent email digest-one',
        '2026-05-04T15:00 deferred email digest-one until 2026-05-05T10:00: capped',
        '2026-05-05T10:00 sent email digest-one',
        '2026-05-05T10:00 deferred email digest-two until 2026-05-06T10:00: capped',
        '2026-05-05T15:00 deferred email digest-two until 2026-05-06T10:00: capped',
        '2026-05-06T10:00 sent email digest-two',
        '2026-05-06T10:00 deferred email digest-two until 2026-05-07T10:00: capped',
        '2026-05-07T10:00 sent email digest-two',
      ]);
    });

    it('skips a capped email when the policy says skip', async () => {
      const result = await simulateCase(
        input({
          definition: digest({ entry: { reentry: 'always', concurrent: true } }),
          events: twoOrders,
          policy: policy('skip'),
        }),
      );
      expect(sent(result.timeline)).toEqual(['2026-05-04T10:00 digest-one', '2026-05-05T10:00 digest-two']);
      expect(brief(result.timeline)).toContain('2026-05-04T15:00 skipped email digest-one: capped');
    });

    it('applies quiet hours in the default time zone to a contact without one', async () => {
      const result = await simulateCase(
        input({
          events: [ordered('o1', '2026-05-04T20:00:00Z')],
          policy: policy('defer'),
          defaultTimeZone: 'Europe/Berlin',
        }),
      );
      // 22:00 in Berlin: held until 08:00 there.
      expect(brief(result.timeline)).toContain(
        '2026-05-04T20:00 deferred email digest-one until 2026-05-05T06:00: quiet-hours',
      );
      expect(sent(result.timeline)[0]).toBe('2026-05-05T06:00 digest-one');
    });
  });

  describe('entry rules', () => {
    const orders = [
      ordered('o1', '2026-05-04T10:00:00Z'),
      ordered('o2', '2026-05-04T12:00:00Z'),
      ordered('o3', '2026-05-20T10:00:00Z'),
      ordered('o4', '2026-06-10T10:00:00Z'),
    ];
    const entries = async (entry: Record<string, unknown>) =>
      brief((await simulateCase(input({ definition: digest({ entry }), events: orders }))).timeline).filter(
        (line) => /entered/.test(line),
      );

    it('lets a contact in once with reentry never', async () => {
      expect(await entries({ reentry: 'never' })).toEqual([
        '2026-05-04T10:00 entered',
        '2026-05-04T12:00 not-entered: already-entered',
        '2026-05-20T10:00 not-entered: already-entered',
        '2026-06-10T10:00 not-entered: already-entered',
      ]);
    });

    it('lets a contact in again once the cooldown has passed', async () => {
      expect(await entries({ reentry: { cooldown: 'P30D' } })).toEqual([
        '2026-05-04T10:00 entered',
        '2026-05-04T12:00 not-entered: cooling-down',
        '2026-05-20T10:00 not-entered: cooling-down',
        '2026-06-10T10:00 entered',
      ]);
    });

    it('keeps a contact out while an enrollment runs unless concurrent', async () => {
      expect(await entries({ reentry: 'always', concurrent: false })).toEqual([
        '2026-05-04T10:00 entered',
        '2026-05-04T12:00 not-entered: already-active',
        '2026-05-20T10:00 entered',
        '2026-06-10T10:00 entered',
      ]);
      expect(await entries({ reentry: 'always', concurrent: true })).toHaveLength(4);
    });

    it('treats a repeated event id as a replay', async () => {
      const replayed = [ordered('o1', '2026-05-04T10:00:00Z'), ordered('o1', '2026-05-06T10:00:00Z')];
      const result = await simulateCase(
        input({ definition: digest({ entry: { reentry: 'always', concurrent: true } }), events: replayed }),
      );
      expect(brief(result.timeline)).toContain('2026-05-06T10:00 not-entered: already-started');
    });
  });

  it('refuses an event it cannot read, naming where', async () => {
    const bad: SimulationEvent[] = [{ type: 'order_completed', at: 'yesterday' }];
    await expect(simulateCase(input({ events: bad }))).rejects.toThrow(SimulationInputError);
    await expect(simulateCase(input({ events: bad }))).rejects.toThrow('events.0.at');
  });

  describe('when a loop runs far more often than anyone could read', () => {
    const loop = (emits: number) =>
      JourneyDefinition.parse({
        id: 'loop',
        name: 'Loop',
        trigger: { event: 'order_completed' },
        start: 'first',
        nodes: [
          { id: 'first', type: 'wait', duration: 'PT1S', next: 'n1' },
          ...Array.from({ length: emits }, (_, index) => ({
            id: `n${index + 1}`,
            type: 'emit_event',
            detail_type: 'Tick',
            next: index + 1 < emits ? `n${index + 2}` : 'first',
          })),
        ],
      });

    it('stops at the timeline limit with a reason, before a loop every second fills the memory', async () => {
      await expect(
        simulateCase(input({ definition: loop(40), to: at('2027-05-01T00:00:00Z') })),
      ).rejects.toThrow(`more than ${maxTimelineEntries} lines`);
    });

    it('shows the journey failing where one step asks for more than the table can store at once', async () => {
      const result = await simulateCase(input({ definition: loop(199), to: at('2026-05-05T00:00:00Z') }));
      expect(brief(result.timeline)).toEqual([
        '2026-05-04T10:00 entered',
        '2026-05-04T10:00 waiting at first until 2026-05-04T10:00',
        '2026-05-04T10:00 failed: JourneyDefinitionError: journey loop asked for more than 80 sends, events and updates without waiting',
        '2026-05-04T10:00 exited: failed: JourneyDefinitionError: journey loop asked for more than 80 sends, events and updates without waiting',
      ]);
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { stepJourney } from '../../../lib/domain/journey-engine.js';
import type { RawJourney } from './arbitraries.js';
import { contactArb, historyArb, instantArb, journeyArb, splitWeightsArb } from './arbitraries.js';
import { duplicates, playHistory, publishRaw } from './history.js';

const runs = { numRuns: 200 };

const scenario = fc.record({
  journey: journeyArb,
  contact: contactArb,
  start: instantArb,
  steps: historyArb,
});

describe('the journey engine, for random journeys, contacts and histories', () => {
  it('generates only journeys the definition schema accepts', () => {
    fc.assert(
      fc.property(journeyArb, (raw) => {
        const parsed = JourneyDefinition.safeParse(raw);
        expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
      }),
      runs,
    );
  });

  describe('when the same trigger is delivered twice', () => {
    it('changes nothing and asks for nothing the second time', () => {
      fc.assert(
        fc.property(scenario, ({ journey, contact, start, steps }) => {
          const history = playHistory(publishRaw(journey), contact, start, steps);
          for (const delivery of history.deliveries) {
            if (delivery.result === undefined) continue;
            expect(
              delivery.replay,
              `${delivery.event.type} ${delivery.event.id} moved ${delivery.before?.currentNode ?? '(entry)'} → ${delivery.result.enrollment.currentNode ?? delivery.result.enrollment.status}, then again`,
            ).toBeUndefined();
          }
        }),
        runs,
      );
    });
  });

  describe('over a whole history', () => {
    it('never produces the same message key or timer id twice', () => {
      fc.assert(
        fc.property(scenario, ({ journey, contact, start, steps }) => {
          const history = playHistory(publishRaw(journey), contact, start, steps);
          expect(duplicates(history.messageKeys)).toEqual([]);
          expect(duplicates(history.timerIds)).toEqual([]);
        }),
        runs,
      );
    });
  });
});

describe('timers', () => {
  it('resume the enrollment exactly when it waits on them, and at most once each', () => {
    fc.assert(
      fc.property(scenario, ({ journey, contact, start, steps }) => {
        const history = playHistory(publishRaw(journey), contact, start, steps);
        const resumedBy = new Map<string, number>();
        for (const delivery of history.timerDeliveries) {
          expect(delivery.resumed, `timer ${delivery.timer.id}`).toBe(delivery.awaited);
          if (delivery.resumed) resumedBy.set(delivery.timer.id, (resumedBy.get(delivery.timer.id) ?? 0) + 1);
        }
        expect([...resumedBy].filter(([, count]) => count > 1)).toEqual([]);
      }),
      runs,
    );
  });

  it('are each delivered at least once in the run, so the property above covers every timer set', () => {
    fc.assert(
      fc.property(scenario, ({ journey, contact, start, steps }) => {
        const history = playHistory(publishRaw(journey), contact, start, steps);
        const delivered = new Set(history.timerDeliveries.map((delivery) => delivery.timer.id));
        expect(history.timerIds.filter((id) => !delivered.has(id) && id !== history.pending)).toEqual([]);
      }),
      runs,
    );
  });
});

/**
 * The split and the holdout hash (journey, node, contact): with these fixed contact
 * ids the shares are a fixed function of the weights, so the tolerance below holds
 * for every draw, not just most seeds.
 */
const contactIds = Array.from({ length: 4_000 }, (_, i) => `contact-${i}`);
const tolerance = 0.03;

const enterAll = (raw: RawJourney) => {
  const journey = publishRaw(raw);
  return contactIds.map((id) => {
    const result = stepJourney({
      journey,
      enrollment: undefined,
      contact: {
        id,
        email: `${id}@example.com`,
        consent: {
          email: { status: 'subscribed', changedAt: '2026-01-01T00:00:00.000Z' },
          sms: { status: 'none', changedAt: '2026-01-01T00:00:00.000Z' },
        },
        topics: [],
        pendingTopics: [],
        attributes: {},
        acquisition: { at: '2026-01-01T00:00:00.000Z' },
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        version: 1,
      },
      trigger: {
        type: 'event',
        event: {
          id: `enter-${id}`,
          contactId: id,
          type: 'signup_confirmed',
          at: '2026-01-01T00:00:00.000Z',
          data: {},
        },
      },
      now: new Date('2026-01-01T00:00:00Z'),
      defaultTimeZone: 'UTC',
    });
    if (result === undefined) throw new Error(`${id} did not enter`);
    return result.enrollment;
  });
};

describe('random splits', () => {
  it('send each path a share within 3 points of its weight over 4000 contacts', () => {
    fc.assert(
      fc.property(splitWeightsArb, (weights) => {
        const enrollments = enterAll({
          id: 'split-convergence',
          name: 'Split convergence',
          trigger: { event: 'signup_confirmed' },
          start: 'pick',
          nodes: [
            { id: 'pick', type: 'split', paths: weights.map((weight, i) => ({ weight, next: `path-${i}` })) },
            ...weights.map((_, i) => ({ id: `path-${i}`, type: 'exit' as const })),
          ],
        });
        const total = weights.reduce((sum, weight) => sum + weight, 0);
        weights.forEach((weight, i) => {
          const share = enrollments.filter((e) => e.visits[`path-${i}`] === 1).length / contactIds.length;
          expect(Math.abs(share - weight / total), `path-${i} of ${weights.join('/')}`).toBeLessThanOrEqual(
            tolerance,
          );
        });
        expect(enrollments.every((e) => weights.some((_, i) => e.visits[`path-${i}`] === 1))).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('keep a control group within 3 points of the holdout percentage', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), (holdout) => {
        const enrollments = enterAll({
          id: 'holdout-convergence',
          name: 'Holdout convergence',
          trigger: { event: 'signup_confirmed' },
          holdout,
          start: 'bye',
          nodes: [{ id: 'bye', type: 'exit' }],
        });
        const share = enrollments.filter((e) => e.group === 'control').length / contactIds.length;
        expect(Math.abs(share - holdout / 100)).toBeLessThanOrEqual(tolerance);
        if (holdout === 0) expect(share).toBe(0);
      }),
      { numRuns: 15 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeliveryPolicy } from '../../../lib/domain/delivery-policy.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { SimulationEvent } from '../../../lib/domain/simulate.js';
import { aContact } from '../domain/support/journeys.js';
import { at, simulateCase } from './support/simulation.js';

/** Sends on every order and then daily: with a few orders, more than any cap allows. */
const chatty = JourneyDefinition.parse({
  id: 'chatty',
  name: 'Chatty',
  trigger: { event: 'order_completed' },
  entry: { reentry: 'always', concurrent: true },
  start: 'hello',
  nodes: [
    { id: 'hello', type: 'send_email', template: 'hello', next: 'pause' },
    { id: 'pause', type: 'wait', duration: 'P1D', next: 'hello' },
  ],
});

const from = at('2026-03-01T00:00:00Z');
const to = at('2026-03-15T00:00:00Z');
const hour = 3_600_000;

const capArbitrary = fc.record({
  max: fc.integer({ min: 1, max: 4 }),
  hours: fc.constantFrom(1, 6, 24, 72, 168),
});

const eventArbitrary: fc.Arbitrary<SimulationEvent> = fc.record({
  type: fc.constantFrom('order_completed' as const, 'order_completed' as const, 'topics_changed' as const),
  at: fc.integer({ min: from.getTime(), max: to.getTime() }).map((ms) => new Date(ms)),
  data: fc.constant({ topics: ['newsletter'] }),
});

describe('the delivery policy in a simulation', () => {
  it('never lets more messages out than a cap allows, whatever the events', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(capArbitrary, { minLength: 1, maxLength: 2 }),
        fc.constantFrom('skip' as const, 'defer' as const),
        fc.boolean(),
        fc.array(eventArbitrary, { maxLength: 6 }),
        async (caps, when_capped, quietAtNight, events) => {
          const policy: DeliveryPolicy = {
            email: {
              caps: caps.map((cap) => ({ max: cap.max, per: `PT${cap.hours}H` })),
              when_capped,
              ...(quietAtNight ? { quiet_hours: { start: '21:00', end: '08:00' } } : {}),
            },
          };
          const { timeline } = await simulateCase({
            definition: chatty,
            contact: aContact({ timeZone: 'Europe/Berlin' }),
            events,
            from,
            to,
            policy,
            templates: 'plain',
          });
          const sends = timeline.flatMap((entry) =>
            entry.kind === 'sent' ? [new Date(entry.at).getTime()] : [],
          );
          for (const cap of caps) {
            for (const send of sends) {
              const inWindow = sends.filter((other) => other <= send && other > send - cap.hours * hour);
              expect(inWindow.length).toBeLessThanOrEqual(cap.max);
            }
          }
          if (quietAtNight) {
            const localHours = sends.map((send) =>
              Number(
                new Intl.DateTimeFormat('en-GB', {
                  hour: '2-digit',
                  hourCycle: 'h23',
                  timeZone: 'Europe/Berlin',
                }).format(send),
              ),
            );
            expect(localHours.filter((localHour) => localHour >= 21 || localHour < 8)).toEqual([]);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});

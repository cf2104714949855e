import { beforeAll, describe, expect, it } from 'vitest';
import { productEventData } from '../../../lib/domain/catalog.js';
import type { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import type { SimulationEvent } from '../../../lib/domain/simulate.js';
import { aContact } from '../domain/support/journeys.js';
import { at, brief, shippedJourney, simulateCase } from './support/simulation.js';

let journey: JourneyDefinition;
beforeAll(async () => {
  journey = await shippedJourney('new-book-launch');
});

/** The event the launch's fan-out writes, with the data it writes. */
const launched = (category: string): SimulationEvent => ({
  id: `pub-${category}`,
  type: 'product_published',
  at: '2026-03-02T10:00:00Z',
  data: productEventData({
    sku: 'NEW-1',
    name: 'Murder at the Harbour',
    category,
    price: 19.5,
    currency: 'EUR',
    publishedAt: '2026-03-02T10:00:00.000Z',
    createdAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-02T10:00:00.000Z',
  }),
});

const run = (event: SimulationEvent) =>
  simulateCase({
    definition: journey,
    contact: aContact({ topics: ['recommendations'] }),
    events: [event],
    from: at('2026-03-01T00:00:00Z'),
    to: at('2026-03-10T00:00:00Z'),
  });

describe('the new book launch journey, when categories are paths', () => {
  // Entered, in the treatment or (with a holdout) the control group: what follows is the journey's business.
  it('starts on a book in a genre: it triggers on the books department', async () => {
    expect(brief((await run(launched('books/crime'))).timeline)[0]).toMatch(/^2026-03-02T10:00 entered/);
  });

  it('starts on a book filed under books alone, as before genres', async () => {
    expect(brief((await run(launched('books'))).timeline)[0]).toMatch(/^2026-03-02T10:00 entered/);
  });

  it('does not start on a product from another department', async () => {
    expect(brief((await run(launched('office/copiers'))).timeline)).toEqual([
      '2026-03-02T10:00 not-entered: trigger-condition',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { ContactEvent } from '../../../lib/domain/contact-event.js';
import type { PublishedJourney } from '../../../lib/domain/journey-definition.js';
import { JourneyDefinition } from '../../../lib/domain/journey-definition.js';
import { advanceJourney, journeyMessageKey } from '../../../lib/domain/journey-engine.js';

const now = new Date('2026-11-23T10:00:00Z');
const definition = JourneyDefinition.parse({
  id: 'welcome',
  name: 'Welcome',
  trigger: { event: 'signup_confirmed' },
  start: 'hello',
  nodes: [
    { id: 'hello', type: 'send_email', template: 'welcome', next: 'tips' },
    { id: 'tips', type: 'send_email', template: 'tips', topic: 'newsletter', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});
const journey: PublishedJourney = {
  definition,
  version: 3,
  status: 'active',
  publishedAt: now.toISOString(),
};
const event: ContactEvent = {
  id: '01JEVENT',
  contactId: 'c1',
  type: 'signup_confirmed',
  at: now.toISOString(),
  data: {},
};

describe('the journey engine', () => {
  describe('when a contact enters on its trigger', () => {
    const result = advanceJourney(journey, undefined, { type: 'event', event }, now);

    it('records the version it entered and ends at the exit node', () => {
      expect(result?.enrollment).toMatchObject({
        id: '01JEVENT',
        journeyId: 'welcome',
        journeyVersion: 3,
        status: 'exited',
        exitReason: 'reached an exit node',
        visits: { hello: 1, tips: 1, done: 1 },
      });
    });

    it('asks for each email in order, with its topic', () => {
      expect(result?.actions).toEqual([
        { type: 'send_email', nodeId: 'hello', visit: 1, template: 'welcome' },
        { type: 'send_email', nodeId: 'tips', visit: 1, template: 'tips', topic: 'newsletter' },
      ]);
    });
  });

  it('is deterministic: the same input gives the same output and the same message keys', () => {
    const first = advanceJourney(journey, undefined, { type: 'event', event }, now);
    const second = advanceJourney(journey, undefined, { type: 'event', event }, now);
    expect(second).toEqual(first);
    const keys = (r: typeof first) => r?.actions.map((a) => (r ? journeyMessageKey(r.enrollment, a) : ''));
    expect(keys(second)).toEqual(['welcome#01JEVENT#hello#1', 'welcome#01JEVENT#tips#1']);
    expect(keys(second)).toEqual(keys(first));
  });

  it('ignores events that are not its trigger', () => {
    expect(
      advanceJourney(journey, undefined, { type: 'event', event: { ...event, type: 'unsubscribed' } }, now),
    ).toBe(undefined);
  });

  it('lets no one enter a paused journey', () => {
    expect(advanceJourney({ ...journey, status: 'paused' }, undefined, { type: 'event', event }, now)).toBe(
      undefined,
    );
  });

  it('completes a journey that runs out of nodes without an exit', () => {
    const short = JourneyDefinition.parse({
      ...definition,
      start: 'hello',
      nodes: [{ id: 'hello', type: 'send_email', template: 'welcome' }],
    });
    expect(
      advanceJourney({ ...journey, definition: short }, undefined, { type: 'event', event }, now)?.enrollment
        .status,
    ).toBe('completed');
  });
});

describe('journey definition validation', () => {
  const problems = (raw: unknown) => {
    const result = JourneyDefinition.safeParse(raw);
    return result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('names an unknown next node by its path', () => {
    expect(
      problems({
        ...definition,
        nodes: [{ id: 'hello', type: 'send_email', template: 'welcome', next: 'nowhere' }],
      }),
    ).toContain('nodes.0.next: unknown node "nowhere"');
  });

  it('names an unknown start node', () => {
    expect(problems({ ...definition, start: 'missing' })).toContain('start: unknown node "missing"');
  });

  it('rejects a loop with no wait in it', () => {
    expect(
      problems({
        ...definition,
        start: 'a',
        nodes: [
          { id: 'a', type: 'send_email', template: 'welcome', next: 'b' },
          { id: 'b', type: 'send_email', template: 'welcome', next: 'a' },
        ],
      }),
    ).toContain('nodes: the nodes a → b → a form a loop with no wait');
  });

  it('rejects duplicate node ids', () => {
    expect(problems({ ...definition, nodes: [...definition.nodes, { id: 'done', type: 'exit' }] })).toContain(
      'nodes.3.id: duplicate node id "done"',
    );
  });

  it('rejects an unknown node type', () => {
    expect(problems({ ...definition, nodes: [{ id: 'x', type: 'teleport' }] }).join()).toContain('nodes.0');
  });
});

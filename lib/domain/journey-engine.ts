import type { ContactEvent } from './contact-event.js';
import type { Enrollment } from './enrollment.js';
import type { JourneyNode, PublishedJourney } from './journey-definition.js';
import { nextNodeId } from './journey-definition.js';

/** What the engine asks the outside world to do; the app layer turns these into writes. */
export type JourneyAction = {
  type: 'send_email';
  nodeId: string;
  /** How many times this node has run in this enrollment, counting this one. */
  visit: number;
  template: string;
  topic?: string;
};

export interface EngineResult {
  enrollment: Enrollment;
  actions: JourneyAction[];
}

export type EngineTrigger = { type: 'event'; event: ContactEvent };

export class JourneyDefinitionError extends Error {
  override readonly name = 'JourneyDefinitionError';
}

/**
 * The pure core: (definition, enrollment, trigger, now) → (new enrollment, actions).
 * No I/O, no clock, no randomness, so the same input always gives the same output
 * and a replayed trigger can be recognised by the idempotency keys it yields.
 */
export const advanceJourney = (
  journey: PublishedJourney,
  enrollment: Enrollment | undefined,
  trigger: EngineTrigger,
  now: Date,
): EngineResult | undefined => {
  if (enrollment === undefined) {
    if (journey.status !== 'active' || trigger.event.type !== journey.definition.trigger.event)
      return undefined;
    const entered: Enrollment = {
      id: trigger.event.id,
      contactId: trigger.event.contactId,
      journeyId: journey.definition.id,
      journeyVersion: journey.version,
      status: 'active',
      currentNode: journey.definition.start,
      visits: {},
      triggerEventId: trigger.event.id,
      enteredAt: now.toISOString(),
      updatedAt: now.toISOString(),
      version: 1,
    };
    return runFrom(journey, entered, journey.definition.start, now);
  }
  // Only entry triggers exist so far: an active enrollment has nothing waiting on an event.
  return undefined;
};

const runFrom = (
  journey: PublishedJourney,
  enrollment: Enrollment,
  startNode: string,
  now: Date,
): EngineResult => {
  const byId = new Map<string, JourneyNode>(journey.definition.nodes.map((node) => [node.id, node]));
  const visits = { ...enrollment.visits };
  const actions: JourneyAction[] = [];
  let nodeId: string | undefined = startNode;
  // The definition schema rejects loops; this bound only stops a corrupt stored definition from spinning.
  for (let steps = 0; nodeId !== undefined; steps += 1) {
    if (steps > byId.size)
      throw new JourneyDefinitionError(`journey ${journey.definition.id} loops at ${nodeId}`);
    const node = byId.get(nodeId);
    if (node === undefined)
      throw new JourneyDefinitionError(`journey ${journey.definition.id} has no node ${nodeId}`);
    const visit = (visits[node.id] ?? 0) + 1;
    visits[node.id] = visit;
    switch (node.type) {
      case 'send_email':
        actions.push({
          type: 'send_email',
          nodeId: node.id,
          visit,
          template: node.template,
          ...(node.topic === undefined ? {} : { topic: node.topic }),
        });
        break;
      case 'exit':
        return finish(enrollment, visits, actions, now, 'exited', 'reached an exit node');
      default: {
        const unknownNode: never = node;
        throw new JourneyDefinitionError(`unknown node ${JSON.stringify(unknownNode)}`);
      }
    }
    nodeId = nextNodeId(node);
  }
  return finish(enrollment, visits, actions, now, 'completed', undefined);
};

const finish = (
  enrollment: Enrollment,
  visits: Record<string, number>,
  actions: JourneyAction[],
  now: Date,
  status: 'completed' | 'exited',
  exitReason: string | undefined,
): EngineResult => {
  const { currentNode: _finishedAt, exitReason: _previousReason, ...rest } = enrollment;
  return {
    enrollment: {
      ...rest,
      status,
      visits,
      updatedAt: now.toISOString(),
      ...(exitReason === undefined ? {} : { exitReason }),
    },
    actions,
  };
};

/** The outbox key of a journey message: business identity, so a replay maps to the same item. */
export const journeyMessageKey = (enrollment: Enrollment, action: JourneyAction): string =>
  `${enrollment.journeyId}#${enrollment.id}#${action.nodeId}#${action.visit}`;

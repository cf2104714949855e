import { z } from 'zod';
import { ContactEventType } from './contact-event.js';

const NodeId = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'node ids are lower-case letters, digits, - and _');

export const SendEmailNode = z.object({
  id: NodeId,
  type: z.literal('send_email'),
  template: z.string().min(1),
  /** The topic the contact must hold for this message; absent means any marketing consent is enough. */
  topic: z.string().optional(),
  next: NodeId.optional(),
});

export const ExitNode = z.object({
  id: NodeId,
  type: z.literal('exit'),
});

export const JourneyNode = z.discriminatedUnion('type', [SendEmailNode, ExitNode]);
export type JourneyNode = z.infer<typeof JourneyNode>;
export type SendEmailNode = z.infer<typeof SendEmailNode>;

/** The node a node hands over to, if any. Exhaustive so a new node type must say. */
export const nextNodeId = (node: JourneyNode): string | undefined => {
  switch (node.type) {
    case 'send_email':
      return node.next;
    case 'exit':
      return undefined;
    default: {
      const unknownNode: never = node;
      throw new Error(`unknown node ${JSON.stringify(unknownNode)}`);
    }
  }
};

/** Every node runs at once after the previous one, so any cycle would spin forever. */
const findLoop = (nodes: readonly JourneyNode[]): string[] | undefined => {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const start of nodes) {
    const path: string[] = [];
    let current: JourneyNode | undefined = start;
    while (current !== undefined) {
      if (path.includes(current.id)) return [...path.slice(path.indexOf(current.id)), current.id];
      path.push(current.id);
      const next = nextNodeId(current);
      current = next === undefined ? undefined : byId.get(next);
    }
  }
  return undefined;
};

export const JourneyTrigger = z.object({ event: ContactEventType });
export type JourneyTrigger = z.infer<typeof JourneyTrigger>;

export const ReentryRule = z.enum(['never', 'always']);

export const JourneyDefinition = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    name: z.string().min(1),
    trigger: JourneyTrigger,
    entry: z.object({ reentry: ReentryRule }).default({ reentry: 'never' }),
    start: NodeId,
    nodes: z.array(JourneyNode).min(1),
  })
  .superRefine((definition, ctx) => {
    const ids = new Set<string>();
    definition.nodes.forEach((node, index) => {
      if (ids.has(node.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['nodes', index, 'id'],
          message: `duplicate node id "${node.id}"`,
        });
      }
      ids.add(node.id);
    });
    if (!ids.has(definition.start)) {
      ctx.addIssue({ code: 'custom', path: ['start'], message: `unknown node "${definition.start}"` });
    }
    definition.nodes.forEach((node, index) => {
      const next = nextNodeId(node);
      if (next !== undefined && !ids.has(next)) {
        ctx.addIssue({ code: 'custom', path: ['nodes', index, 'next'], message: `unknown node "${next}"` });
      }
    });
    const loop = findLoop(definition.nodes);
    if (loop !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes'],
        message: `the nodes ${loop.join(' → ')} form a loop with no wait`,
      });
    }
  });
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;

/** A published, immutable version; enrollments remember the version they entered. */
export const PublishedJourney = z.object({
  definition: JourneyDefinition,
  version: z.number().int().min(1),
  status: z.enum(['active', 'paused', 'archived']),
  publishedAt: z.iso.datetime(),
});
export type PublishedJourney = z.infer<typeof PublishedJourney>;

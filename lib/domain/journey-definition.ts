import { z } from 'zod';
import { Condition, conditionProblem } from './conditions.js';
import { ContactEventType } from './contact-event.js';
import { IsoDuration, SignedIsoDuration } from './durations.js';
import { conditionsOf, journeyLimitProblems } from './journey-limits.js';
import { referenceProblems } from './references.js';

/** Events a journey can react to: every contact event except the tick's internal ones. */
export const JourneyEventType = ContactEventType.exclude(['timer', 'date_reached']);

const NodeId = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'node ids are lower-case letters, digits, - and _');
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 09:00');
export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = z.infer<typeof Weekday>;

/**
 * A dotted path into `{ contact, event, enrollment }` naming a date, e.g.
 * `event.data.replacementDueAt`, `contact.attributes.birthday`, or the element a
 * `for_each` trigger started the enrollment for: `enrollment.trigger.item.replacementDueAt`.
 */
const DatePath = z
  .string()
  .regex(/^(contact|event|enrollment)(\.[A-Za-z0-9_-]+)+$/, 'must be a path such as event.data.orderedAt');

const describe = <T extends z.ZodType>(schema: T, text: string): T => schema.describe(text);

/** A custom attribute on the contact (`contact.attributes.<name>`); consent and identity are not journeys' to change. */
export const AttributeName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'attribute names are letters, digits and _, starting with a letter');

/** Values a node writes: anything JSON, where `{ $ref: "<path>" }` stands for a value from contact, event or enrollment. */
const NodeValues = z.record(z.string(), z.unknown());

export const WaitUntil = z
  .object({
    date: describe(
      DatePath,
      'Wait for this date (from the event or the contact); absent means from now.',
    ).optional(),
    offset: describe(SignedIsoDuration, 'Added to the date, e.g. -P30D for 30 days before.').optional(),
    at: describe(
      TimeOfDay,
      "Then the first time it is this time of day in the contact's time zone.",
    ).optional(),
    weekdays: describe(z.array(Weekday).min(1), 'Only on these days of the week.').optional(),
  })
  .refine((until) => until.date !== undefined || until.at !== undefined || until.weekdays !== undefined, {
    message: 'give a date, a time of day (at) or weekdays',
  });
export type WaitUntil = z.infer<typeof WaitUntil>;

export const WaitNode = z
  .object({
    id: NodeId,
    type: z.literal('wait'),
    duration: describe(IsoDuration, 'Wait this long, e.g. P3D.').optional(),
    until: WaitUntil.optional(),
    next: NodeId,
  })
  .refine((node) => (node.duration === undefined) !== (node.until === undefined), {
    message: 'a wait needs exactly one of duration or until',
  });

export const WaitForEventNode = z.object({
  id: NodeId,
  type: z.literal('wait_for_event'),
  event: JourneyEventType,
  condition: Condition.optional(),
  timeout: IsoDuration,
  /** Where to go when the event arrives in time. */
  next: NodeId,
  /** Where to go when it does not. */
  timeout_next: NodeId,
});

export const BranchNode = z.object({
  id: NodeId,
  type: z.literal('branch'),
  /** Tried in order; the first that matches wins. */
  branches: z.array(z.object({ condition: Condition, next: NodeId })).min(1),
  else: NodeId,
});

export const SplitNode = z.object({
  id: NodeId,
  type: z.literal('split'),
  /** A contact always takes the same path: the choice hashes the journey, node and contact. */
  paths: z.array(z.object({ weight: z.number().int().min(1), next: NodeId })).min(2),
});

export const SendEmailNode = z.object({
  id: NodeId,
  type: z.literal('send_email'),
  template: z.string().min(1),
  /** The topic the contact must hold for this message; absent means any marketing consent is enough. */
  topic: z.string().optional(),
  next: NodeId.optional(),
});

/** SMS text lives in the journey: a few words of Liquid need no template store of their own. */
export const SendSmsNode = z.object({
  id: NodeId,
  type: z.literal('send_sms'),
  body: z.string().min(1).max(1_000),
  next: NodeId.optional(),
});

/** Sets or removes custom attributes on the contact, in the same transaction as the step, and records a `contact_updated` event. */
export const UpdateContactNode = z
  .object({
    id: NodeId,
    type: z.literal('update_contact'),
    set: describe(
      z.record(AttributeName, z.unknown()),
      'Attributes to set, e.g. { tier: vip, last_order: { $ref: event.data.order_id } }.',
    ).default({}),
    unset: describe(z.array(AttributeName), 'Attributes to remove.').default([]),
    next: NodeId.optional(),
  })
  .refine((node) => Object.keys(node.set).length > 0 || node.unset.length > 0, {
    message: 'an update_contact node needs set or unset',
  });

/** Puts an event on the EventBridge bus for other systems (a CRM, print-and-mail, a data lake). */
export const EmitEventNode = z.object({
  id: NodeId,
  type: z.literal('emit_event'),
  detail_type: describe(z.string().min(1).max(128), "EventBridge's DetailType, e.g. VIP Reached."),
  detail: describe(
    NodeValues,
    'Fields of the event; contact, journey, enrollment and group are always added.',
  ).default({}),
  next: NodeId.optional(),
});

export const ExitNode = z.object({
  id: NodeId,
  type: z.literal('exit'),
  reason: z.string().optional(),
});

export const JourneyNode = z.discriminatedUnion('type', [
  WaitNode,
  WaitForEventNode,
  BranchNode,
  SplitNode,
  SendEmailNode,
  SendSmsNode,
  UpdateContactNode,
  EmitEventNode,
  ExitNode,
]);
export type JourneyNode = z.infer<typeof JourneyNode>;
export type SendEmailNode = z.infer<typeof SendEmailNode>;
export type WaitNode = z.infer<typeof WaitNode>;
export type WaitForEventNode = z.infer<typeof WaitForEventNode>;
export type UpdateContactNode = z.infer<typeof UpdateContactNode>;
export type EmitEventNode = z.infer<typeof EmitEventNode>;

export const EventMatch = z.object({ event: JourneyEventType, condition: Condition.optional() });
export type EventMatch = z.infer<typeof EventMatch>;

/**
 * One enrollment per element of a list in the triggering event, e.g. one per
 * product of an order: each enrollment sees its element as
 * `enrollment.trigger.item` (and templates as `trigger.item`), so waits, exit
 * rules and messages can be about that product alone.
 */
export const ForEachItem = z
  .object({
    items: describe(
      z
        .string()
        .regex(/^event(\.[A-Za-z0-9_-]+)+$/, 'must be a path into the event such as event.data.products'),
      'The list in the triggering event, e.g. event.data.products.',
    ),
    condition: describe(
      Condition,
      'Evaluated on { contact, event, item } for each element; only matching elements start an enrollment.',
    ).optional(),
  })
  .strict();
export type ForEachItem = z.infer<typeof ForEachItem>;

export const EventTrigger = EventMatch.extend({
  for_each: describe(ForEachItem, 'Start one enrollment per element of a list in the event.').optional(),
}).strict();
export type EventTrigger = z.infer<typeof EventTrigger>;

/** A date on the contact (or several: a path through a list gives one per element, e.g. each owned product's due date). */
const ContactDatePath = z
  .string()
  .regex(
    /^contact(\.[A-Za-z0-9_-]+)+$/,
    'must be a path into the contact such as contact.attributes.birthday',
  );

/**
 * Starts the journey on a date found on the contact, at a time of day in the
 * contact's time zone: a birthday every year, or 30 days before a replacement is due.
 */
export const DateTrigger = z
  .object({
    date: describe(ContactDatePath, 'The date, e.g. contact.attributes.birthday.'),
    offset: describe(SignedIsoDuration, 'Added to the date, e.g. -P30D for 30 days before.').optional(),
    at: describe(TimeOfDay, "The time of day in the contact's time zone.").default('09:00'),
    repeat: describe(
      z.enum(['never', 'yearly']),
      'yearly: on every anniversary of the date (birthdays); never: once, on the date itself.',
    ).default('never'),
    /** Evaluated on `{ contact, event }` when the date comes. */
    condition: Condition.optional(),
  })
  .strict();
export type DateTrigger = z.infer<typeof DateTrigger>;

export const JourneyTrigger = z.union([EventTrigger, DateTrigger]);
export type JourneyTrigger = z.infer<typeof JourneyTrigger>;

export const isDateTrigger = (trigger: JourneyTrigger): trigger is DateTrigger => 'date' in trigger;

/** The event type that starts a journey: its trigger's, or the tick's `date_reached` for a date trigger. */
export const triggerEventType = (trigger: JourneyTrigger): ContactEventType =>
  isDateTrigger(trigger) ? 'date_reached' : trigger.event;

export const ReentryRule = z.union([z.enum(['never', 'always']), z.object({ cooldown: IsoDuration })]);
export type ReentryRule = z.infer<typeof ReentryRule>;

export const EntryRules = z.object({
  reentry: ReentryRule.default('never'),
  /** Whether a contact may be in this journey more than once at the same time. */
  concurrent: z.boolean().default(false),
  /** Evaluated on `{ contact, event }` when the trigger fires. */
  condition: Condition.optional(),
});

export const Goal = EventMatch.extend({
  within: IsoDuration,
  /** End the enrollment when the goal is reached. */
  exit: z.boolean().default(false),
});

/** The nodes a node hands over to, each with the field that names it. Exhaustive, so a new node type must say. */
export const nextNodeRefs = (node: JourneyNode): Array<{ field: Array<string | number>; id: string }> => {
  switch (node.type) {
    case 'wait':
      return [{ field: ['next'], id: node.next }];
    case 'wait_for_event':
      return [
        { field: ['next'], id: node.next },
        { field: ['timeout_next'], id: node.timeout_next },
      ];
    case 'branch':
      return [
        ...node.branches.map((branch, index) => ({ field: ['branches', index, 'next'], id: branch.next })),
        { field: ['else'], id: node.else },
      ];
    case 'split':
      return node.paths.map((path, index) => ({ field: ['paths', index, 'next'], id: path.next }));
    case 'send_email':
    case 'send_sms':
    case 'update_contact':
    case 'emit_event':
      return node.next === undefined ? [] : [{ field: ['next'], id: node.next }];
    case 'exit':
      return [];
    default: {
      const unknownNode: never = node;
      throw new Error(`unknown node ${JSON.stringify(unknownNode)}`);
    }
  }
};

export const nextNodeIds = (node: JourneyNode): string[] => nextNodeRefs(node).map((ref) => ref.id);

/** Nodes that let time pass; a cycle through one of them is a legitimate loop (e.g. every 14 days). */
export const pauses = (node: JourneyNode): boolean => node.type === 'wait' || node.type === 'wait_for_event';

/** A cycle whose nodes all run at once would spin forever; returns its ids if there is one. */
const findInstantLoop = (nodes: readonly JourneyNode[]): string[] | undefined => {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const node = byId.get(id);
    if (node === undefined || pauses(node) || state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const next of nextNodeIds(node)) {
      const loop = visit(next);
      if (loop !== undefined) return loop;
    }
    path.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const node of nodes) {
    const loop = visit(node.id);
    if (loop !== undefined) return loop;
  }
  return undefined;
};

const reachableFrom = (start: string, nodes: readonly JourneyNode[]): Set<string> => {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const seen = new Set<string>();
  const queue = [start];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    const node = byId.get(id);
    if (node === undefined || seen.has(id)) continue;
    seen.add(id);
    queue.push(...nextNodeIds(node));
  }
  return seen;
};

const JourneyDefinitionShape = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'journey ids are lower-case letters, digits and -'),
  name: z.string().min(1),
  description: z.string().optional(),
  trigger: JourneyTrigger,
  entry: EntryRules.default({ reentry: 'never', concurrent: false }),
  /** Ends an enrollment wherever it is, e.g. on a purchase or an unsubscribe. */
  exit_when: z.array(EventMatch).default([]),
  goal: Goal.optional(),
  /** Percent of entrants kept as a control group: they are tracked for the goal but sent nothing. */
  holdout: z.number().min(0).max(100).default(0),
  start: NodeId,
  nodes: z.array(JourneyNode).min(1),
});
type JourneyDefinitionShape = z.infer<typeof JourneyDefinitionShape>;

/** The rules between nodes, which every stored version met when it was published. */
const graphRules = (definition: JourneyDefinitionShape, ctx: z.RefinementCtx): void => {
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
    return;
  }
  definition.nodes.forEach((node, index) => {
    for (const { field, id } of nextNodeRefs(node)) {
      if (!ids.has(id))
        ctx.addIssue({ code: 'custom', path: ['nodes', index, ...field], message: `unknown node "${id}"` });
    }
  });
  const reachable = reachableFrom(definition.start, definition.nodes);
  definition.nodes.forEach((node, index) => {
    if (!reachable.has(node.id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes', index],
        message: `node "${node.id}" cannot be reached from the start`,
      });
    }
  });
  if (isDateTrigger(definition.trigger) && definition.trigger.repeat === 'yearly') {
    if (definition.entry.reentry === 'never')
      ctx.addIssue({
        code: 'custom',
        path: ['entry', 'reentry'],
        message:
          'a yearly date trigger needs reentry always (or a cooldown shorter than a year); never lets a contact in once',
      });
  }
  const loop = findInstantLoop(definition.nodes);
  if (loop !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['nodes'],
      message: `the nodes ${loop.join(' → ')} form a loop with no wait`,
    });
  }
  for (const { path, condition } of conditionsOf(definition)) {
    const problem = conditionProblem(condition);
    if (problem !== undefined)
      ctx.addIssue({ code: 'custom', path, message: `invalid condition: ${problem}` });
  }
  definition.nodes.forEach((node, index) => {
    const values =
      node.type === 'update_contact'
        ? { field: 'set', value: node.set }
        : node.type === 'emit_event'
          ? { field: 'detail', value: node.detail }
          : undefined;
    if (values === undefined) return;
    for (const problem of referenceProblems(values.value, ['nodes', index, values.field])) {
      ctx.addIssue({ code: 'custom', path: ['nodes', index, values.field], message: problem });
    }
  });
};

/**
 * A definition that may be saved as a draft or published: the graph rules and
 * the limits of lib/domain/journey-limits.ts. A definition past a structural
 * limit (nested too deep, too large) is refused on that alone, before anything
 * walks its conditions.
 */
export const JourneyDefinition = JourneyDefinitionShape.superRefine((definition, ctx) => {
  const { problems, structural } = journeyLimitProblems(definition);
  for (const { path, message } of problems) ctx.addIssue({ code: 'custom', path, message });
  if (!structural) graphRules(definition, ctx);
});
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;

/**
 * A version or draft as stored. Read without today's limits, so one published
 * before a limit was introduced (a wait of P30Y) still runs its enrollments;
 * whatever it cannot do then fails for that journey alone.
 */
export const StoredJourneyDefinition = JourneyDefinitionShape.superRefine(graphRules);

/** The templates a journey sends, with where each is named, so publishing can refuse unknown ones. */
export const templatesUsed = (definition: JourneyDefinition): Array<{ template: string; path: string }> =>
  definition.nodes.flatMap((node, index) =>
    node.type === 'send_email' ? [{ template: node.template, path: `nodes.${index}.template` }] : [],
  );

/** A published, immutable version; enrollments remember the version they entered. */
export const PublishedJourney = z.object({
  definition: StoredJourneyDefinition,
  version: z.number().int().min(1),
  status: z.enum(['active', 'paused', 'archived']),
  publishedAt: z.iso.datetime(),
});
export type PublishedJourney = z.infer<typeof PublishedJourney>;

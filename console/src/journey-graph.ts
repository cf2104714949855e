import type { DayStats } from '../../lib/domain/journey-answers.js';

/** A node as the graph draws it: its id, type and the one detail that tells it apart. */
// A type, not an interface: React Flow keeps it as node data, which must be a record.
export type GraphNode = {
  id: string;
  type: string;
  detail: string;
  start: boolean;
};

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Which way out this is, when a node has more than one (`timeout`, `else`, a branch, a split's weight). */
  label: string;
}

export interface JourneyGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

const detailOf = (node: Record<string, unknown>): string => {
  const until = isObject(node.until) ? node.until : undefined;
  const candidates = [
    node.template,
    node.duration,
    until === undefined
      ? undefined
      : [until.date, until.offset, until.at].filter((v) => v !== undefined).join(' '),
    node.event === undefined
      ? undefined
      : `${text(node.event)}${node.timeout === undefined ? '' : `, ${text(node.timeout)}`}`,
    node.detail_type,
    node.reason,
    typeof node.body === 'string' ? node.body.slice(0, 40) : undefined,
  ];
  return candidates.map(text).find((value) => value !== undefined && value !== '') ?? '';
};

/** The ways out of a node, each with the label its edge carries. */
const exitsOf = (node: Record<string, unknown>): Array<{ target: string; label: string }> => {
  const exits: Array<{ target: string; label: string }> = [];
  const add = (target: unknown, label: string) => {
    const id = text(target);
    if (id !== undefined) exits.push({ target: id, label });
  };
  add(node.next, node.timeout_next === undefined ? '' : 'event');
  add(node.timeout_next, 'timeout');
  if (Array.isArray(node.branches))
    node.branches.forEach((branch, index) => {
      if (isObject(branch)) add(branch.next, `branch ${index + 1}`);
    });
  add(node.else, 'else');
  if (Array.isArray(node.paths))
    node.paths.forEach((path) => {
      if (isObject(path)) add(path.next, `weight ${text(path.weight) ?? '?'}`);
    });
  return exits;
};

/**
 * The nodes and edges of a definition, read leniently: a draft being typed may
 * break the schema, and still draws as far as it goes (an edge to a node that
 * does not exist is left out; the validator names it).
 */
export const graphOf = (definition: unknown): JourneyGraph => {
  if (!isObject(definition) || !Array.isArray(definition.nodes)) return { nodes: [], edges: [] };
  const start = text(definition.start);
  const nodes: GraphNode[] = [];
  const seen = new Set<string>();
  for (const raw of definition.nodes) {
    const id = isObject(raw) ? text(raw.id) : undefined;
    if (!isObject(raw) || id === undefined || seen.has(id)) continue;
    seen.add(id);
    nodes.push({ id, type: text(raw.type) ?? '?', detail: detailOf(raw), start: id === start });
  }
  const edges = definition.nodes.flatMap((raw) => {
    const id = isObject(raw) ? text(raw.id) : undefined;
    if (!isObject(raw) || id === undefined) return [];
    return exitsOf(raw)
      .filter((exit) => seen.has(exit.target))
      .map((exit, index) => ({
        id: `${id}->${exit.target}#${index}`,
        source: id,
        target: exit.target,
        label: exit.label,
      }));
  });
  return { nodes, edges };
};

/** Each node's box, for the layout: wide enough for its id and detail. */
export const nodeWidth = 220;
export const nodeHeight = 96;

/** What elkjs lays out: a layered graph, top to bottom, the journey's order kept. */
export const elkInput = (graph: JourneyGraph) => ({
  id: 'journey',
  layoutOptions: {
    'elk.algorithm': 'layered',
    'elk.direction': 'DOWN',
    'elk.layered.spacing.nodeNodeBetweenLayers': '48',
    'elk.spacing.nodeNode': '32',
    'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  },
  children: graph.nodes.map((node) => ({ id: node.id, width: nodeWidth, height: nodeHeight })),
  edges: graph.edges.map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
});

/** A node's counters summed over the days of the range: `entered`, `sent`, `skipped:<reason>`, … */
export const nodeCounts = (days: readonly DayStats[], nodeId: string): Record<string, number> => {
  const sums: Record<string, number> = {};
  for (const day of days)
    for (const [metric, value] of Object.entries(day.nodes[nodeId] ?? {}))
      sums[metric] = (sums[metric] ?? 0) + value;
  return sums;
};

/** The journey-wide counters summed the same way. */
export const totalCounts = (days: readonly DayStats[]): Record<string, number> => {
  const sums: Record<string, number> = {};
  for (const day of days)
    for (const [metric, value] of Object.entries(day.totals)) sums[metric] = (sums[metric] ?? 0) + value;
  return sums;
};

/** A node's counters as one short line for its box: entered, sent, and skipped by reason. */
export const countsLine = (counts: Readonly<Record<string, number>>): string[] => {
  const lines: string[] = [];
  if (counts.entered !== undefined) lines.push(`entered ${counts.entered}`);
  if (counts.sent !== undefined) lines.push(`sent ${counts.sent}`);
  for (const [metric, value] of Object.entries(counts))
    if (metric.startsWith('skipped:') || metric.startsWith('deferred:') || metric === 'failed')
      lines.push(`${metric.replace(':', ' ')} ${value}`);
  return lines;
};

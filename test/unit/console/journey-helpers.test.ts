import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../../console/src/journey-diff.js';
import { elkInput, graphOf, nodeCounts } from '../../../console/src/journey-graph.js';
import { placeOfPath } from '../../../console/src/journey-yaml-lines.js';
import type { DayStats } from '../../../lib/domain/journey-answers.js';

const yaml = [
  'id: welcome',
  'name: Welcome',
  'start: send',
  'nodes:',
  '  - id: send',
  '    type: send_email',
  '    template: welcome',
  '    next: nowhere',
  '  - id: wait',
  '    type: wait_for_event',
  '    event: order_completed',
  '    timeout: P3D',
  '    next: send',
  '    timeout_next: send',
].join('\n');

describe('placing an API problem path in the YAML', () => {
  it('finds a value by its path through lists and maps', () => {
    const place = placeOfPath(yaml, 'nodes.0.next');
    expect(place.line).toBe(8);
    expect(yaml.slice(place.from, place.to)).toBe('nowhere');
  });

  it('falls back to the deepest part of the path that exists', () => {
    expect(placeOfPath(yaml, 'nodes.1.duration').line).toBe(9);
    expect(placeOfPath(yaml, 'nodes.7.next').line).toBe(4);
  });

  it('puts problems of the whole document on line 1', () => {
    expect(placeOfPath(yaml, 'body').line).toBe(1);
  });
});

describe('a line diff of two renderings', () => {
  it('keeps common lines and marks what was removed and added', () => {
    expect(lineDiff('a\nb\nc\n', 'a\nx\nc\nd\n')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });

  it('says nothing changed between equal texts', () => {
    expect(lineDiff('a\nb', 'a\nb').every((line) => line.kind === 'same')).toBe(true);
    expect(lineDiff('', 'a')).toEqual([{ kind: 'added', text: 'a' }]);
  });
});

describe('the graph handed to the layout', () => {
  const definition = {
    start: 'send',
    nodes: [
      { id: 'send', type: 'send_email', template: 'welcome', next: 'nowhere' },
      {
        id: 'wait',
        type: 'wait_for_event',
        event: 'order_completed',
        timeout: 'P3D',
        next: 'send',
        timeout_next: 'send',
      },
      { id: 'pick', type: 'branch', branches: [{ condition: {}, next: 'wait' }], else: 'send' },
    ],
  };

  it('draws every node, and an edge per way out that lands on a node, labelled', () => {
    const graph = graphOf(definition);
    expect(graph.nodes.map((node) => [node.id, node.detail, node.start])).toEqual([
      ['send', 'welcome', true],
      ['wait', 'order_completed, P3D', false],
      ['pick', '', false],
    ]);
    expect(graph.edges.map((edge) => [edge.source, edge.target, edge.label])).toEqual([
      ['wait', 'send', 'event'],
      ['wait', 'send', 'timeout'],
      ['pick', 'wait', 'branch 1'],
      ['pick', 'send', 'else'],
    ]);
    const input = elkInput(graph);
    expect(input.children.map((child) => child.id)).toEqual(['send', 'wait', 'pick']);
    expect(new Set(input.edges.map((edge) => edge.id)).size).toBe(4);
    expect(input.edges[0]).toMatchObject({ sources: ['wait'], targets: ['send'] });
  });

  it('draws nothing from a text that is not a journey', () => {
    expect(graphOf('just a string')).toEqual({ nodes: [], edges: [] });
  });

  it('sums a node’s counters over the days', () => {
    const days: DayStats[] = [
      {
        day: '2026-11-01',
        totals: {},
        nodes: { send: { entered: 2, sent: 1, 'skipped:not-subscribed': 1 } },
      },
      { day: '2026-11-02', totals: {}, nodes: { send: { entered: 3, sent: 3 } } },
    ];
    expect(nodeCounts(days, 'send')).toEqual({ entered: 5, sent: 4, 'skipped:not-subscribed': 1 });
    expect(nodeCounts(days, 'wait')).toEqual({});
  });
});

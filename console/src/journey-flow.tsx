import '@xyflow/react/dist/style.css';
import { Background, type Edge, Handle, type Node, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import ELK from 'elkjs/lib/elk.bundled.js';
import { useEffect, useState } from 'react';
import { countsLine, elkInput, type GraphNode, type JourneyGraph } from './journey-graph.js';

type JourneyNodeData = GraphNode & { counts: string[] };
type JourneyFlowNode = Node<JourneyNodeData, 'journey'>;

const elk = new ELK();

const JourneyNodeBox = ({ data }: NodeProps<JourneyFlowNode>) => (
  <div className={`journey-node journey-node-${data.type}${data.start ? ' journey-node-start' : ''}`}>
    <Handle type="target" position={Position.Top} isConnectable={false} />
    <strong>{data.id}</strong>
    <span className="journey-node-type">
      {data.type}
      {data.start ? ' (start)' : ''}
    </span>
    {data.detail === '' ? null : <span className="journey-node-detail">{data.detail}</span>}
    {data.counts.length === 0 ? null : <span className="journey-node-counts">{data.counts.join(' · ')}</span>}
    <Handle type="source" position={Position.Bottom} isConnectable={false} />
  </div>
);

const nodeTypes = { journey: JourneyNodeBox };

/**
 * The journey drawn as React Flow nodes placed by elkjs's layered layout, each
 * node with its counters for the chosen period. Read only: the YAML is where a
 * journey is changed.
 */
export const JourneyFlow = ({
  graph,
  counts,
}: {
  graph: JourneyGraph;
  counts: (nodeId: string) => Readonly<Record<string, number>>;
}) => {
  const [laidOut, setLaidOut] = useState<{ nodes: JourneyFlowNode[]; edges: Edge[] }>({
    nodes: [],
    edges: [],
  });
  useEffect(() => {
    let current = true;
    elk.layout(elkInput(graph)).then(
      (layout) => {
        if (!current) return;
        const placed = new Map((layout.children ?? []).map((child) => [child.id, child]));
        setLaidOut({
          nodes: graph.nodes.map((node) => ({
            id: node.id,
            type: 'journey',
            position: { x: placed.get(node.id)?.x ?? 0, y: placed.get(node.id)?.y ?? 0 },
            data: { ...node, counts: countsLine(counts(node.id)) },
            draggable: false,
            connectable: false,
          })),
          edges: graph.edges.map((edge) => ({
            id: edge.id,
            source: edge.source,
            target: edge.target,
            ...(edge.label === '' ? {} : { label: edge.label }),
          })),
        });
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [graph, counts]);
  return (
    <div className="journey-flow">
      <ReactFlow
        key={laidOut.nodes.map((node) => node.id).join(' ')}
        nodes={laidOut.nodes}
        edges={laidOut.edges}
        nodeTypes={nodeTypes}
        fitView
        nodesConnectable={false}
        nodesDraggable={false}
        elementsSelectable={false}
        proOptions={{ hideAttribution: true }}
        aria-label="The journey's nodes and the ways between them"
      >
        <Background />
      </ReactFlow>
    </div>
  );
};

import type { LaidOutGraph } from '../../src/infra/ui/definition-graph';

const FILL: Record<string, string> = {
  completed: '#dcfae6',
  waiting: '#fef0c7',
  running: '#fef0c7',
  pending: '#f2f4f7',
  failed: '#fee4e2',
  breached: '#fee4e2',
  cancelled: '#eaecf0',
  skipped: '#eaecf0',
};

const path = (points: Array<{ x: number; y: number }>): string =>
  points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');

/**
 * The definition graph as SVG (laid out by dagre); with `statusOf`, each node is filled and
 * labelled with its latest step's status. Text labels carry the status too, not colour alone.
 */
export const GraphSvg = ({
  graph,
  title,
  statusOf,
}: {
  graph: LaidOutGraph;
  title: string;
  statusOf?: (nodeId: string) => string | undefined;
}) => (
  <svg
    class="graph"
    xmlns="http://www.w3.org/2000/svg"
    viewBox={`0 0 ${graph.width + 20} ${graph.height + 20}`}
    width={graph.width + 20}
    role="img"
    aria-labelledby="graph-title"
  >
    <title id="graph-title">{title}</title>
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
        <path d="M 0 0 L 10 5 L 0 10 z" fill="#475467" />
      </marker>
    </defs>
    {graph.clusters.map((cluster) => (
      <g data-cluster={cluster.id}>
        <rect
          x={cluster.x - cluster.width / 2}
          y={cluster.y - cluster.height / 2}
          width={cluster.width}
          height={cluster.height}
          rx="10"
          fill="none"
          stroke={cluster.kind === 'group' ? '#1f5fbf' : '#7a5af8'}
          stroke-dasharray="6 4"
        />
        <text x={cluster.x - cluster.width / 2 + 8} y={cluster.y - cluster.height / 2 + 14} fill="#344054">
          {cluster.label}
        </text>
      </g>
    ))}
    {graph.edges.map((edge) => (
      <g data-edge={`${edge.from}->${edge.to}`}>
        <path d={path(edge.points)} fill="none" stroke="#475467" stroke-width="1.4" marker-end="url(#arrow)" />
        {edge.label && edge.points.length > 0 ? (
          <text
            x={edge.points[Math.floor(edge.points.length / 2)]!.x + 6}
            y={edge.points[Math.floor(edge.points.length / 2)]!.y}
            fill="#475467"
          >
            {edge.label}
          </text>
        ) : null}
      </g>
    ))}
    {graph.nodes.map((node) => {
      const status = statusOf?.(node.nodeId);
      return (
        <g data-node-id={node.nodeId} data-status={status ?? 'not-started'}>
          <rect
            x={node.x - node.width / 2}
            y={node.y - node.height / 2}
            width={node.width}
            height={node.height}
            rx={node.type === 'human' ? 27 : 6}
            fill={status ? (FILL[status] ?? '#fff') : '#fff'}
            stroke="#344054"
          />
          <text x={node.x} y={node.y - 4} text-anchor="middle" font-weight="600">
            {node.label.length > 26 ? `${node.label.slice(0, 25)}…` : node.label}
          </text>
          <text x={node.x} y={node.y + 14} text-anchor="middle" fill="#475467">
            {`${node.type}${statusOf ? ` · ${status ?? 'not started'}` : ''}`}
          </text>
        </g>
      );
    })}
  </svg>
);

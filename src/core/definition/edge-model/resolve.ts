import type { Edge, EdgeEndpoint, EdgeRole } from '../schema/edge';
import type { Group, QuorumPolicy } from '../schema/group';
import { quote, violation, type Violation } from '../violation';

/** Codes of the G3 edge-contract rules (docs/g3.md, "What we refuse"). */
export const EDGE_MODEL_CODES = {
  customRequiresWhen: 'edge-custom-requires-when',
  whenOnlyForCustom: 'edge-when-only-for-custom',
  loopRequiresReject: 'edge-loop-requires-reject',
  loopRequiresBackEdge: 'edge-loop-requires-back-edge',
  rejectCycleRequiresLoop: 'edge-reject-cycle-requires-loop',
  exhaustedRequiresLoopSibling: 'edge-exhausted-requires-loop-sibling',
  exhaustedDuplicate: 'edge-exhausted-duplicate',
  routeTargetMustBeNode: 'edge-route-target-must-be-node',
  groupToGroup: 'edge-group-to-group-forbidden',
  groupRejectRequiresLoop: 'group-from-reject-requires-loop',
  groupLoopRequiresJoin: 'group-from-loop-requires-joinonquorum',
} as const;

export type Endpoint = { kind: 'node'; id: string } | { kind: 'group'; id: string };

/** One authored edge with its endpoints and role read; `index` is its place in `edges`. */
export interface ResolvedEdge {
  index: number;
  from: Endpoint;
  to: Endpoint;
  role: EdgeRole;
  when: string | null;
  loop: { maxIterations: number } | undefined;
}

export const endpointOf = (endpoint: EdgeEndpoint): Endpoint => {
  if (typeof endpoint === 'string') return { kind: 'node', id: endpoint };
  return endpoint.kind === 'node' ? { kind: 'node', id: endpoint.nodeId } : { kind: 'group', id: endpoint.groupId };
};

export const sameEndpoint = (a: Endpoint, b: Endpoint): boolean => a.kind === b.kind && a.id === b.id;

const hasWhen = (when: string | null | undefined): when is string => when !== undefined && when !== null;

/** `on` defaults to "always"; a `when` without `on` is the seeds' gated edge, i.e. "custom". */
export const roleOf = (edge: Pick<Edge, 'on' | 'when'>): EdgeRole => edge.on ?? (hasWhen(edge.when) ? 'custom' : 'always');

export const resolveEdge = (edge: Edge, index: number): ResolvedEdge => ({
  index,
  from: endpointOf(edge.from),
  to: endpointOf(edge.to),
  role: roleOf(edge),
  when: hasWhen(edge.when) ? edge.when : null,
  loop: edge.loop,
});

const endpointText = (endpoint: Endpoint): string => (endpoint.kind === 'group' ? `group:${endpoint.id}` : endpoint.id);

/** `edges[3] human-review -> group:parallel-review`, as the linter names edges. */
export const edgeLabel = (edge: ResolvedEdge): string => `edges[${edge.index}] ${endpointText(edge.from)} -> ${endpointText(edge.to)}`;

/** `data.edges[3] (human-review -> agent-draft)`, for the contract rules' messages. */
export const edgeAt = (edge: ResolvedEdge): string => `data.edges[${edge.index}] (${endpointText(edge.from)} -> ${endpointText(edge.to)})`;

export const policyOf = (group: Group): QuorumPolicy => group.onQuorumMet ?? 'waitAll';

/** Endpoints that name nothing declared, reported with the linter's `dangling-edge` code. */
export const danglingEndpoints = (
  edge: ResolvedEdge,
  declaredNodes: ReadonlySet<string>,
  groups: ReadonlyMap<string, Group>,
): Violation[] => {
  const endpoints = sameEndpoint(edge.from, edge.to) ? [edge.from] : [edge.from, edge.to];
  const missing = endpoints.filter((endpoint) => (endpoint.kind === 'node' ? !declaredNodes.has(endpoint.id) : !groups.has(endpoint.id)));
  if (missing.length === 0) return [];
  const names = missing.map((endpoint) => `${quote(endpoint.id)} is not a declared ${endpoint.kind}`).join(' and ');
  return [violation('dangling-edge', `${edgeLabel(edge)}: ${names}`)];
};

/** The rules one edge must meet on its own (role, `when`, `loop`, group endpoints). */
export const edgeContract = (edge: ResolvedEdge, authoredOn: EdgeRole | undefined, groups: ReadonlyMap<string, Group>): Violation[] => {
  const found: Violation[] = [];
  const { from, to, role } = edge;
  if (from.kind === 'group' && to.kind === 'group') {
    found.push(
      violation(
        EDGE_MODEL_CODES.groupToGroup,
        `${edgeAt(edge)}: an edge cannot join two groups; point it at a node, or at a group from a node`,
      ),
    );
  }
  if (role === 'custom' && (edge.when === null || edge.when.trim() === '')) {
    found.push(violation(EDGE_MODEL_CODES.customRequiresWhen, `${edgeAt(edge)}: on="custom" requires a non-empty "when"`));
  }
  if (edge.when !== null && authoredOn !== undefined && authoredOn !== 'custom') {
    found.push(
      violation(
        EDGE_MODEL_CODES.whenOnlyForCustom,
        `${edgeAt(edge)}.when: "when" is only allowed with on="custom" (this edge is on=${quote(authoredOn)}, which compiles its own predicate)`,
      ),
    );
  }
  if (edge.loop !== undefined && role !== 'reject') {
    found.push(
      violation(
        EDGE_MODEL_CODES.loopRequiresReject,
        `${edgeAt(edge)}.loop: "loop" is only allowed on an on="reject" edge (this edge is on=${quote(role)})`,
      ),
    );
  }
  if ((edge.loop !== undefined || role === 'exhausted') && to.kind === 'group') {
    const what = role === 'exhausted' ? 'an on="exhausted" route' : 'a loop-back';
    found.push(violation(EDGE_MODEL_CODES.routeTargetMustBeNode, `${edgeAt(edge)}.to: ${what} must point to a node, not a group`));
  }
  const group = from.kind === 'group' ? groups.get(from.id) : undefined;
  if (group !== undefined && role === 'reject') {
    const policy = policyOf(group);
    if (edge.loop === undefined && policy !== 'waitAll') {
      found.push(
        violation(
          EDGE_MODEL_CODES.groupRejectRequiresLoop,
          `${edgeAt(edge)}: a forward on="reject" edge from ${policy} group ${quote(group.groupId)} would never fire (the group only branches on approval quorum); make it a loop-back with "loop", or use a waitAll group`,
        ),
      );
    }
    if (edge.loop !== undefined && policy !== 'joinOnQuorum') {
      found.push(
        violation(
          EDGE_MODEL_CODES.groupLoopRequiresJoin,
          `${edgeAt(edge)}: a reject loop-back from a group needs onQuorumMet "joinOnQuorum" (group ${quote(group.groupId)} is ${policy})`,
        ),
      );
    }
  }
  return found;
};

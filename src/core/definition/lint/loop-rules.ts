import { reachable, successors } from '../graph';
import type { Loop } from '../schema/loop';
import { quote, violation, type Violation } from '../violation';
import { boundingGroup, loopExits } from '../loop-shape';
import { declaredIds, duplicates, type LintInput, type LintRule } from './input';

const label = (loop: Loop): string => `loop ${quote(loop.loopId)}`;

const checkShape = (input: LintInput, loop: Loop): Violation[] => {
  const exits = loopExits(loop, input.edges);
  if (exits.length === 1) return [];
  const group = boundingGroup(exits, input.groups);
  if (group === undefined) {
    const detail = exits.length === 0 ? 'no node where an iteration ends' : `${exits.length} exit nodes (${exits.join(', ')})`;
    return [
      violation(
        'loop-body-must-have-single-terminal',
        `${label(loop)}: the body has ${detail}; it needs one iteration-terminal node, or exits that are exactly the members of one joinOnQuorum group`,
      ),
    ];
  }
  return group.quorum < group.expectedSteps
    ? [
        violation(
          'loop-group-bounded-quorum-must-equal-expected',
          `${label(loop)}: bounding group ${quote(group.groupId)} has quorum ${group.quorum} < expectedSteps ${group.expectedSteps}`,
        ),
      ]
    : [];
};

const checkLoop = (input: LintInput, loop: Loop, declared: ReadonlySet<string>): Violation[] => {
  const found: Violation[] = [];
  const body = loop.bodyNodeIds;
  const entryInBody = body.includes(loop.entryNodeId);
  if (!entryInBody) {
    found.push(violation('loop-entry-must-be-in-body', `${label(loop)}: entryNodeId ${quote(loop.entryNodeId)} is not in bodyNodeIds`));
  }
  const missing = body.filter((id) => !declared.has(id));
  for (const id of missing)
    found.push(violation('loop-body-member-missing', `${label(loop)}: body node ${quote(id)} is not a declared node`));
  if (entryInBody && declared.has(loop.entryNodeId)) {
    const inside = new Set(body);
    const seen = reachable(
      [loop.entryNodeId],
      successors(
        body,
        input.edges.filter((edge) => inside.has(edge.from) && inside.has(edge.to)),
      ),
    );
    const stranded = body.filter((id) => declared.has(id) && !seen.has(id));
    if (stranded.length > 0) {
      found.push(
        violation(
          'loop-body-unreachable-from-entry',
          `${label(loop)}: ${stranded.map(quote).join(', ')} cannot be reached from entry ${quote(loop.entryNodeId)} along edges inside the body`,
        ),
      );
    }
  }
  if (missing.length === 0) found.push(...checkShape(input, loop));
  const route = loop.onExhausted?.routeToNodeId;
  if (route !== undefined) {
    if (!declared.has(route)) {
      found.push(
        violation(
          'loop-on-exhausted-route-to-not-found',
          `${label(loop)}: onExhausted.routeToNodeId ${quote(route)} is not a declared node`,
        ),
      );
    } else if (body.includes(route)) {
      found.push(
        violation('loop-on-exhausted-route-to-in-body', `${label(loop)}: onExhausted.routeToNodeId ${quote(route)} is a body node`),
      );
    }
  }
  return found;
};

export const loopRules: LintRule = (input) => {
  const declared = declaredIds(input);
  const duplicateIds = duplicates(input.loops.map((loop) => loop.loopId)).map(([id, count]) =>
    violation('loop-duplicate-id', `${quote(id)} is declared ${count} times`),
  );
  const perLoop = input.loops.flatMap((loop) => checkLoop(input, loop, declared));
  const owners = new Map<string, string[]>();
  for (const loop of input.loops) {
    for (const id of new Set(loop.bodyNodeIds)) owners.set(id, [...(owners.get(id) ?? []), loop.loopId]);
  }
  const shared = [...owners]
    .filter(([, loops]) => loops.length > 1)
    .map(([id, loops]) => violation('loop-node-in-multiple-loops', `${quote(id)} is in the body of loops ${loops.map(quote).join(', ')}`));
  return [...duplicateIds, ...perLoop, ...shared];
};

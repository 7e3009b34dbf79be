import type { WhenAst } from '../when';

/** The gate an `on: "approve"` edge compiles to (docs/g3.md). */
export const APPROVE_AST: WhenAst = { op: 'eq', args: [{ var: 'output.decision' }, 'approve'] };
export const APPROVE_WHEN = JSON.stringify(APPROVE_AST);
export const APPROVE_WHEN_SWAPPED = JSON.stringify({ op: 'eq', args: ['approve', { var: 'output.decision' }] });

/** Form A's synthesized gate (docs/api.md, "onReject shorthand") and an `on: "reject"` edge's: `output.decision == "reject"`. */
export const REJECT_AST: WhenAst = { op: 'eq', args: [{ var: 'output.decision' }, 'reject'] };
export const REJECT_WHEN = JSON.stringify(REJECT_AST);
/** The same test written with the arguments swapped; an authored edge like this duplicates Form A too. */
export const REJECT_WHEN_SWAPPED = JSON.stringify({ op: 'eq', args: ['reject', { var: 'output.decision' }] });

/** Default loop predicate (docs/runtime.md, "Loops"): a mandatory reviewer rejected. */
export const MANDATORY_REJECT_AST: WhenAst = {
  op: 'and',
  args: [
    { op: 'eq', args: [{ var: 'output.decision' }, 'reject'] },
    { op: 'eq', args: [{ var: 'output.rejectorMandatory' }, true] },
  ],
};
export const MANDATORY_REJECT_WHEN = JSON.stringify(MANDATORY_REJECT_AST);

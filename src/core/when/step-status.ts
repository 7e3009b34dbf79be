import { isOpNode, isVarNode, type WhenAst } from './ast';

const isStatusVar = (node: WhenAst | undefined): boolean => node !== undefined && isVarNode(node) && node.var === 'step.status';

const matches = (node: WhenAst, status: string, seen: Set<unknown>): boolean => {
  if (typeof node !== 'object' || node === null || seen.has(node)) return false;
  seen.add(node);
  if (Array.isArray(node)) return node.some((item) => matches(item, status, seen));
  if (!isOpNode(node) || !Array.isArray(node.args)) return false;
  const [a, b] = node.args;
  if (node.op === 'eq' && node.args.length === 2) {
    if ((isStatusVar(a) && b === status) || (isStatusVar(b) && a === status)) return true;
  }
  return node.args.some((arg) => matches(arg, status, seen));
};

/** Whether the tree contains `eq(step.status, status)` in either argument order, at any depth. */
export const testsStepStatus = (ast: WhenAst, status: string): boolean => {
  try {
    return matches(ast, status, new Set());
  } catch {
    return false;
  }
};

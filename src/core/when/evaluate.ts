import { isOpNode, isVarNode, type WhenAst, type WhenOpNode, type WhenScope } from './ast';
import { deepEqual } from './deep-equal';
import { regexMatches } from './regex';
import { resolveVariable } from './resolve-variable';

type Value = unknown;

const isOrderable = (a: Value, b: Value): a is number | string =>
  (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');

const order = (a: Value, b: Value, test: (x: number | string, y: number | string) => boolean): boolean =>
  isOrderable(a, b) && test(a, b as number | string);

const strings = (a: Value, b: Value, test: (x: string, y: string) => boolean): boolean =>
  typeof a === 'string' && typeof b === 'string' && test(a, b);

const includes = (haystack: Value, needle: Value): boolean => {
  if (typeof haystack === 'string') return typeof needle === 'string' && haystack.includes(needle);
  if (Array.isArray(haystack)) return haystack.some((item) => deepEqual(item, needle));
  return false;
};

const length = (value: Value): number | null => {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return null;
};

const isEmpty = (value: Value): boolean => {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
};

const applyOperator = (node: WhenOpNode, scope: WhenScope): Value => {
  const args: unknown = node.args;
  if (!Array.isArray(args)) return null;
  const list = args as WhenAst[];
  const arg = (i: number): Value => evaluateNode(list[i] ?? null, scope);
  switch (node.op) {
    case 'eq':
      return deepEqual(arg(0), arg(1));
    case 'neq':
    case 'ne':
      return !deepEqual(arg(0), arg(1));
    case 'gt':
      return order(arg(0), arg(1), (x, y) => x > y);
    case 'gte':
      return order(arg(0), arg(1), (x, y) => x >= y);
    case 'lt':
      return order(arg(0), arg(1), (x, y) => x < y);
    case 'lte':
      return order(arg(0), arg(1), (x, y) => x <= y);
    // Only exact `true` counts as true, so a missing flag or a non-boolean never satisfies a gate.
    case 'and':
      return list.length > 0 && list.every((_, i) => arg(i) === true);
    case 'or':
      return list.some((_, i) => arg(i) === true);
    case 'not':
      return arg(0) !== true;
    case 'regex': {
      const value = arg(0);
      const pattern = arg(1);
      return typeof value === 'string' && typeof pattern === 'string' && regexMatches(value, pattern);
    }
    case 'includes':
      return includes(arg(0), arg(1));
    case 'startsWith':
      return strings(arg(0), arg(1), (s, prefix) => s.startsWith(prefix));
    case 'endsWith':
      return strings(arg(0), arg(1), (s, suffix) => s.endsWith(suffix));
    case 'length':
      return length(arg(0));
    case 'isEmpty':
      return isEmpty(arg(0));
    default:
      return null;
  }
};

const evaluateNode = (node: WhenAst, scope: WhenScope): Value => {
  if (Array.isArray(node)) return node.map((item) => evaluateNode(item, scope));
  if (isVarNode(node)) return typeof node.var === 'string' ? resolveVariable(scope, node.var) : null;
  if (isOpNode(node)) return applyOperator(node, scope);
  if (typeof node === 'object' && node !== null) return null;
  return node;
};

/** True only when the expression evaluates to exactly `true`; never throws, whatever the AST or scope. */
export const evaluateWhen = (ast: WhenAst, scope: WhenScope): boolean => {
  try {
    return evaluateNode(ast, scope) === true;
  } catch {
    return false;
  }
};

import { WHEN_MAX_DEPTH, type WhenAst } from './ast';
import { childLocation, compileError, depthError } from './compile-error';
import { isWhenOperator } from './operators';

const describe = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

const scalar = (value: unknown, location: string): WhenAst | undefined => {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw compileError('number literal is out of range', location);
    return value;
  }
  return undefined;
};

const objectNode = (value: Record<string, unknown>, location: string, depth: number): WhenAst => {
  const keys = Object.keys(value);
  if (keys.includes('var')) {
    const extra = keys.find((k) => k !== 'var');
    if (extra !== undefined) throw compileError(`malformed node: unexpected key "${extra}" in a "var" node`, location);
    const path = value.var;
    if (typeof path !== 'string') throw compileError(`malformed node: "var" must be a string, got ${describe(path)}`, location);
    return { var: path };
  }
  if (keys.includes('op')) {
    const extra = keys.find((k) => k !== 'op' && k !== 'args');
    if (extra !== undefined) throw compileError(`malformed node: unexpected key "${extra}" in an "op" node`, location);
    const op = value.op;
    if (typeof op !== 'string') throw compileError(`malformed node: "op" must be a string, got ${describe(op)}`, location);
    if (!isWhenOperator(op)) throw compileError(`unknown operator ${JSON.stringify(op)}`, location);
    const args = value.args;
    if (!Array.isArray(args)) {
      throw compileError(`malformed node: "args" of operator "${op}" must be an array, got ${describe(args)}`, location);
    }
    return { op, args: args.map((arg, i) => toNode(arg, childLocation(location, i), depth + 1, true)) };
  }
  const shown = keys.length === 0 ? 'an empty object' : `an object with keys ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
  throw compileError(
    `malformed node: expected {"op": ..., "args": [...]} or {"var": "..."}, got ${shown} (object literals are not supported)`,
    location,
  );
};

const toNode = (value: unknown, location: string, depth: number, insideArgs: boolean): WhenAst => {
  if (depth > WHEN_MAX_DEPTH) throw compileError(depthError(WHEN_MAX_DEPTH), location);
  const literal = scalar(value, location);
  if (literal !== undefined) return literal;
  if (Array.isArray(value)) {
    if (!insideArgs) throw compileError('an array literal is only allowed inside "args"', location);
    return value.map((item, i) => toNode(item, `${location}[${i}]`, depth + 1, true));
  }
  if (typeof value === 'object' && value !== null) return objectNode(value as Record<string, unknown>, location, depth);
  throw compileError(`unsupported value of type ${typeof value}`, location);
};

/** Converts the result of `JSON.parse` into a structurally valid AST (operators known, nodes well formed). */
export const jsonToAst = (value: unknown): WhenAst => toNode(value, '', 1, false);

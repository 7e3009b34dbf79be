import { WHEN_MAX_DEPTH, isOpNode, isVarNode, type WhenAst } from './ast';
import { childLocation, compileError, depthError } from './compile-error';
import { arityError } from './operators';
import { regexSyntaxError } from './regex';
import { variablePathError } from './variable-path';

const describeLiteral = (value: WhenAst): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

/** Semantic checks shared by both source forms: depth, arity, variable roots, literal regex patterns. */
export const validateAst = (node: WhenAst, location = '', depth = 1): void => {
  if (depth > WHEN_MAX_DEPTH) throw compileError(depthError(WHEN_MAX_DEPTH), location);
  if (Array.isArray(node)) {
    node.forEach((item, i) => validateAst(item, `${location}[${i}]`, depth + 1));
    return;
  }
  if (isVarNode(node)) {
    const problem = variablePathError(node.var);
    if (problem !== undefined) throw compileError(problem, location);
    return;
  }
  if (!isOpNode(node)) return;
  const problem = arityError(node.op, node.args.length);
  if (problem !== undefined) throw compileError(problem, location);
  node.args.forEach((arg, i) => validateAst(arg, childLocation(location, i), depth + 1));
  if (node.op === 'regex') {
    const pattern = node.args[1] ?? null;
    if (isOpNode(pattern) || isVarNode(pattern)) return;
    if (typeof pattern !== 'string') {
      throw compileError(`operator "regex" needs a string pattern, got ${describeLiteral(pattern)}`, location);
    }
    const syntax = regexSyntaxError(pattern);
    if (syntax !== undefined) throw compileError(syntax, location);
  }
};

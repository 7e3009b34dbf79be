import { WHEN_MAX_LENGTH, isOpNode, type CompileWhenResult, type WhenAst } from './ast';
import { WhenCompileError } from './compile-error';
import { canonicalOperator } from './operators';
import { parseInfix } from './parse-infix';
import { jsonToAst } from './parse-json-ast';
import { validateAst } from './validate';

const parseJson = (source: string): { ok: true; value: unknown } | { ok: false; message: string } => {
  try {
    return { ok: true, value: JSON.parse(source) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
};

const parseSource = (source: string): WhenAst => {
  const json = parseJson(source);
  if (json.ok) return jsonToAst(json.value);
  const first = source.trimStart().charAt(0);
  // Text opening like JSON was meant as JSON; the infix parser's complaint about '{' would only confuse.
  if (first === '{' || first === '[') throw new WhenCompileError(`invalid JSON: ${json.message}`);
  return parseInfix(source);
};

const normalise = (node: WhenAst): WhenAst => {
  if (Array.isArray(node)) return node.map(normalise);
  if (isOpNode(node)) return { op: canonicalOperator(node.op), args: node.args.map(normalise) };
  return node;
};

/** Parses (JSON AST, or the tolerated infix form) and validates a `when` source. */
export const compileWhen = (source: string): CompileWhenResult => {
  if (typeof source !== 'string') return { ok: false, message: 'when expression must be a string' };
  if (source.length > WHEN_MAX_LENGTH) {
    return { ok: false, message: `when expression is too long (${source.length} characters, max ${WHEN_MAX_LENGTH})` };
  }
  if (source.trim() === '') return { ok: false, message: 'when expression is empty' };
  try {
    const parsed = parseSource(source);
    validateAst(parsed);
    const ast = normalise(parsed);
    return { ok: true, ast, canonical: JSON.stringify(ast) };
  } catch (error) {
    if (error instanceof WhenCompileError) return { ok: false, message: error.message };
    throw error;
  }
};

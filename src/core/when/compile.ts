import { WHEN_MAX_LENGTH, isOpNode, type CompileWhenResult, type WhenAst } from './ast';
import { WhenCompileError } from './compile-error';
import { canonicalOperator } from './operators';
import { parseInfix } from './parse-infix';
import { jsonToAst } from './parse-json-ast';
import { RegexAllowance } from './regex-allowance';
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

const compile = (source: string, allowance: RegexAllowance | null): CompileWhenResult => {
  if (typeof source !== 'string') return { ok: false, message: 'when expression must be a string' };
  if (source.length > WHEN_MAX_LENGTH) {
    return { ok: false, message: `when expression is too long (${source.length} characters, max ${WHEN_MAX_LENGTH})` };
  }
  if (source.trim() === '') return { ok: false, message: 'when expression is empty' };
  try {
    const parsed = parseSource(source);
    validateAst(parsed, allowance);
    const ast = normalise(parsed);
    return { ok: true, ast, canonical: JSON.stringify(ast) };
  } catch (error) {
    if (error instanceof WhenCompileError) return { ok: false, message: error.message };
    throw error;
  }
};

/**
 * Parses (JSON AST, or the tolerated infix form) and validates a `when` source as a definition is
 * validated when written: structure, literal regex patterns and the regex limits of
 * docs/behaviour.md. Pass one `allowance` for every expression of a definition so its per-definition
 * limits hold; by default the expression is counted alone.
 */
export const compileWhen = (source: string, allowance: RegexAllowance = new RegexAllowance()): CompileWhenResult =>
  compile(source, allowance);

/**
 * Parses and checks the structure only, for an expression already validated when its definition
 * was written (the pinned definition at run time, a merge comparing canonical forms): nothing is
 * compiled, and regex patterns are held to their limits when they are evaluated.
 */
export const parseWhen = (source: string): CompileWhenResult => compile(source, null);

export type WhenOperator =
  | 'eq'
  | 'neq'
  | 'ne'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'and'
  | 'or'
  | 'not'
  | 'regex'
  | 'includes'
  | 'startsWith'
  | 'endsWith'
  | 'length'
  | 'isEmpty';

export type WhenAst = null | boolean | number | string | WhenAst[] | { var: string } | { op: WhenOperator; args: WhenAst[] };

export type WhenOpNode = { op: WhenOperator; args: WhenAst[] };
export type WhenVarNode = { var: string };

export type CompileWhenResult = { ok: true; ast: WhenAst; canonical: string } | { ok: false; message: string };

export interface WhenScope {
  output: Record<string, unknown>;
  step: Record<string, unknown>;
  execution: { input: Record<string, unknown> };
}

export const WHEN_MAX_LENGTH = 4000;
export const WHEN_MAX_DEPTH = 32;

export const isOpNode = (node: WhenAst): node is WhenOpNode =>
  typeof node === 'object' && node !== null && !Array.isArray(node) && 'op' in node;

export const isVarNode = (node: WhenAst): node is WhenVarNode =>
  typeof node === 'object' && node !== null && !Array.isArray(node) && 'var' in node;

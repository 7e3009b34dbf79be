import { expect } from 'vitest';
import { compileWhen, evaluateWhen, type WhenAst, type WhenOperator, type WhenScope } from '../../../src/core/when';

export const op = (name: WhenOperator, ...args: WhenAst[]): WhenAst => ({ op: name, args });
export const v = (path: string): WhenAst => ({ var: path });

export const scopeOf = (parts: Partial<{ output: unknown; step: unknown; input: unknown }> = {}): WhenScope =>
  ({
    output: parts.output ?? {},
    step: parts.step ?? {},
    execution: { input: parts.input ?? {} },
  }) as WhenScope;

export const compileOk = (source: string): { ast: WhenAst; canonical: string } => {
  const result = compileWhen(source);
  if (!result.ok) throw new Error(`expected ${source} to compile, got: ${result.message}`);
  return result;
};

export const compileMessage = (source: string): string => {
  const result = compileWhen(source);
  expect(result.ok, `expected ${source} to be rejected`).toBe(false);
  return result.ok ? '' : result.message;
};

/** Round-trips the AST through the compiler first, so every evaluation case also proves the AST is accepted. */
export const evalAst = (ast: WhenAst, scope: WhenScope = scopeOf()): boolean => evaluateWhen(compileOk(JSON.stringify(ast)).ast, scope);

import type { WhenOperator } from './ast';

/** `min`/`max` argument counts; `max` undefined means unbounded. */
export interface OperatorArity {
  min: number;
  max: number | undefined;
}

const binary: OperatorArity = { min: 2, max: 2 };
const unary: OperatorArity = { min: 1, max: 1 };
const variadic: OperatorArity = { min: 2, max: undefined };

// A Map, not an object literal, so names like "toString" or "__proto__" are never mistaken for operators.
const ARITY = new Map<string, OperatorArity>([
  ['eq', binary],
  ['neq', binary],
  ['ne', binary],
  ['gt', binary],
  ['gte', binary],
  ['lt', binary],
  ['lte', binary],
  ['and', variadic],
  ['or', variadic],
  ['not', unary],
  ['regex', binary],
  ['includes', binary],
  ['startsWith', binary],
  ['endsWith', binary],
  ['length', unary],
  ['isEmpty', unary],
]);

export const isWhenOperator = (name: string): name is WhenOperator => ARITY.has(name);

export const operatorArity = (op: WhenOperator): OperatorArity => ARITY.get(op) ?? binary;

export const canonicalOperator = (op: WhenOperator): WhenOperator => (op === 'ne' ? 'neq' : op);

const plural = (n: number): string => (n === 1 ? 'argument' : 'arguments');

/** Returns a message when `count` does not fit the operator's arity, otherwise undefined. */
export const arityError = (op: WhenOperator, count: number): string | undefined => {
  const { min, max } = operatorArity(op);
  if (max === undefined) {
    return count >= min ? undefined : `operator "${op}" takes at least ${min} ${plural(min)}, got ${count}`;
  }
  return count === min && count === max ? undefined : `operator "${op}" takes ${min} ${plural(min)}, got ${count}`;
};

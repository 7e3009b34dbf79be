import { isOpNode, isVarNode, type WhenAst, type WhenOpNode, type WhenScope } from './ast';
import { deepEqual } from './deep-equal';
import { WORK_COSTS } from './limits';
import { boundedRegexTest } from './regex';
import { resolveVariable } from './resolve-variable';
import { containsSubstring } from './string-search';
import { evaluationBudget, WhenLimitExceeded, type WorkBudget } from './work-budget';

type Value = unknown;

/** `ok: false` when the expression went over a limit (docs/behaviour.md, "Limits"); `error` says which. */
export type WhenOutcome = { ok: true; value: boolean } | { ok: false; error: string };

const isOrderable = (a: Value, b: Value): a is number | string =>
  (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');

const order = (a: Value, b: Value, test: (x: number | string, y: number | string) => boolean): boolean =>
  isOrderable(a, b) && test(a, b as number | string);

const isEmpty = (value: Value): boolean => {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') {
    for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return false;
    return true;
  }
  return false;
};

const length = (value: Value): number | null => {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return null;
};

class Evaluator {
  constructor(
    private readonly scope: WhenScope,
    private readonly budget: WorkBudget,
  ) {}

  evaluate(node: WhenAst): Value {
    if (Array.isArray(node)) return node.map((item) => this.evaluate(item));
    if (isVarNode(node)) return typeof node.var === 'string' ? resolveVariable(this.scope, node.var) : null;
    if (isOpNode(node)) return this.apply(node);
    if (typeof node === 'object' && node !== null) return null;
    return node;
  }

  private equal(a: Value, b: Value): boolean {
    return deepEqual(a, b, this.budget);
  }

  private strings(a: Value, b: Value, test: (x: string, y: string) => boolean): boolean {
    if (typeof a !== 'string' || typeof b !== 'string') return false;
    this.budget.charge((a.length + b.length) * WORK_COSTS.searchedCharacter, () => 'searching a string');
    return test(a, b);
  }

  private includes(haystack: Value, needle: Value): boolean {
    if (typeof haystack === 'string') return this.strings(haystack, needle, containsSubstring);
    if (Array.isArray(haystack)) {
      this.budget.charge(haystack.length * WORK_COSTS.comparedValue, () => 'searching an array');
      return haystack.some((item) => this.equal(item, needle));
    }
    return false;
  }

  private apply(node: WhenOpNode): Value {
    const args: unknown = node.args;
    if (!Array.isArray(args)) return null;
    const list = args as WhenAst[];
    const arg = (i: number): Value => this.evaluate(list[i] ?? null);
    switch (node.op) {
      case 'eq':
        return this.equal(arg(0), arg(1));
      case 'neq':
      case 'ne':
        return !this.equal(arg(0), arg(1));
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
        return typeof value === 'string' && typeof pattern === 'string' && boundedRegexTest(value, pattern, this.budget);
      }
      case 'includes':
        return this.includes(arg(0), arg(1));
      case 'startsWith':
        return this.strings(arg(0), arg(1), (s, prefix) => s.startsWith(prefix));
      case 'endsWith':
        return this.strings(arg(0), arg(1), (s, suffix) => s.endsWith(suffix));
      case 'length':
        return length(arg(0));
      case 'isEmpty':
        return isEmpty(arg(0));
      default:
        return null;
    }
  }
}

/**
 * Evaluates within the work limits: its own per-evaluation budget, drawing from `happening` (the
 * pool shared by one happening's evaluations) when given. Never throws, whatever the AST or scope;
 * anything but a limit that goes wrong evaluates to false.
 */
export const evaluateWhenWithin = (ast: WhenAst, scope: WhenScope, happening: WorkBudget | null = null): WhenOutcome => {
  try {
    return { ok: true, value: new Evaluator(scope, evaluationBudget(happening)).evaluate(ast) === true };
  } catch (error) {
    if (error instanceof WhenLimitExceeded) return { ok: false, error: error.message };
    return { ok: true, value: false };
  }
};

/** True only when the expression evaluates to exactly `true`; an expression over its limits is false. */
export const evaluateWhen = (ast: WhenAst, scope: WhenScope): boolean => {
  const outcome = evaluateWhenWithin(ast, scope);
  return outcome.ok && outcome.value;
};

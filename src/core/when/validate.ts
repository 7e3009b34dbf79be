import { WHEN_MAX_DEPTH, isOpNode, isVarNode, type WhenAst } from './ast';
import { childLocation, compileError, depthError } from './compile-error';
import { WHEN_LIMITS } from './limits';
import { arityError } from './operators';
import { checkLiteralPattern } from './regex';
import type { RegexAllowance } from './regex-allowance';
import { variablePathError } from './variable-path';

const describeLiteral = (value: WhenAst): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
};

/**
 * `allowance` set: the write-time checks of a definition (regex limits, literal patterns compiled
 * and checked, the definition's shared regex budget). Null: structure only, for expressions that
 * were checked when they were written (a pinned definition at run time, a merge comparing forms);
 * their patterns are compiled, within the work budget, when they are evaluated.
 */
class AstValidator {
  private regexOperators = 0;

  constructor(private readonly allowance: RegexAllowance | null) {}

  validate(node: WhenAst, location = '', depth = 1): void {
    if (depth > WHEN_MAX_DEPTH) throw compileError(depthError(WHEN_MAX_DEPTH), location);
    if (Array.isArray(node)) {
      node.forEach((item, i) => this.validate(item, `${location}[${i}]`, depth + 1));
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
    node.args.forEach((arg, i) => this.validate(arg, childLocation(location, i), depth + 1));
    if (node.op === 'regex') this.validateRegex(node.args[1] ?? null, location);
  }

  private validateRegex(pattern: WhenAst, location: string): void {
    this.countOperator(location);
    if (isOpNode(pattern) || isVarNode(pattern)) return;
    if (typeof pattern !== 'string') {
      throw compileError(`operator "regex" needs a string pattern, got ${describeLiteral(pattern)}`, location);
    }
    if (this.allowance === null) return;
    // Once the definition's patterns are over budget, compiling more would only add work.
    const overBudget = this.allowance.takeProgram(0);
    if (overBudget !== undefined) throw compileError(overBudget, location);
    const { problem, size } = checkLiteralPattern(pattern);
    const total = this.allowance.takeProgram(size);
    if (problem !== undefined) throw compileError(problem, location);
    if (total !== undefined) throw compileError(total, location);
  }

  private countOperator(location: string): void {
    if (this.allowance === null) return;
    this.regexOperators += 1;
    if (this.regexOperators > WHEN_LIMITS.regexOpsPerExpression) {
      throw compileError(`too many regex operators in one expression (max ${WHEN_LIMITS.regexOpsPerExpression})`, location);
    }
    const problem = this.allowance.takeOperator();
    if (problem !== undefined) throw compileError(problem, location);
  }
}

/** Semantic checks shared by both source forms: depth, arity, variable roots, literal regex patterns. */
export const validateAst = (node: WhenAst, allowance: RegexAllowance | null): void => new AstValidator(allowance).validate(node);

import { WHEN_LIMITS } from './limits';
import { formatCount } from './work-budget';

/**
 * What the `regex` operators of one definition may still use at write time: how many there are,
 * and the total program size of their literal patterns (docs/behaviour.md, "Limits"). One
 * allowance is shared by every expression of a definition, so validation stops compiling patterns
 * once the definition is over its budget.
 */
export class RegexAllowance {
  private operators = 0;
  private program = 0;

  /** Counts one more `regex` operator; a message when the definition now has too many. */
  takeOperator(): string | undefined {
    this.operators += 1;
    if (this.operators <= WHEN_LIMITS.regexOpsPerDefinition) return undefined;
    return `too many regex operators in the definition (max ${WHEN_LIMITS.regexOpsPerDefinition} across all its expressions)`;
  }

  /** Adds the size of a compiled pattern; a message once the definition's patterns are over their total. */
  takeProgram(size: number): string | undefined {
    this.program += size;
    if (this.program <= WHEN_LIMITS.regexProgramPerDefinition) return undefined;
    return `the definition's regex patterns compile to more than ${formatCount(WHEN_LIMITS.regexProgramPerDefinition)} instructions in total`;
  }
}

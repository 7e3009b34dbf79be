/**
 * Bounds on what a `when` may cost (docs/behaviour.md, "Limits"). Write-time limits refuse a
 * definition; the work budgets bound each evaluation at run time, computed from the inputs
 * (string lengths, pattern sizes, values compared), never from the clock, so evaluation stays
 * deterministic inside the workflow sandbox.
 */
export const WHEN_LIMITS = {
  /** Characters of one regex pattern (literal in a definition, or taken from data at run time). */
  regexPatternMaxChars: 1_000,
  /** RE2 program size of one pattern (`a{1000}` is 1,002 instructions). */
  regexProgramMax: 2_000,
  /** `regex` operators in one expression. */
  regexOpsPerExpression: 8,
  /** `regex` operators in all the expressions of one definition. */
  regexOpsPerDefinition: 64,
  /** Total program size of the literal patterns of one definition. */
  regexProgramPerDefinition: 20_000,
  /** Characters of a string a regex runs against. */
  regexSubjectMaxChars: 262_144,
  /** Work units one evaluation of one expression may spend. */
  workPerEvaluation: 2_097_152,
  /** Work units all the evaluations caused by one happening (a decision, an agent result, ...) may spend. */
  workPerHappening: 8_388_608,
} as const;

/**
 * What each operation costs in work units. One unit is one RE2 instruction over one character,
 * which re2js runs in 25–200 ns on its slowest path (a lazy DFA that keeps building states, then
 * the NFA), so a happening's 8.4 million units stay well under the SDK's 5 s limit on a workflow
 * activation even on a loaded machine. The other weights are set against it, on the generous side
 * (`npx tsx scripts/measure-expression-costs.ts`).
 */
export const WORK_COSTS = {
  /** Compiling a pattern, per instruction; charged on every run so the cost never depends on a cache. */
  regexCompilePerInstruction: 256,
  /** Each array item or object entry `eq`/`neq`/`includes` visits while comparing values. */
  comparedValue: 16,
  /** `includes`, `startsWith`, `endsWith` on strings: per character of both strings. */
  searchedCharacter: 1,
} as const;

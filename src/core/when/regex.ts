import { RE2JS } from 're2js';
import { WHEN_LIMITS, WORK_COSTS } from './limits';
import { estimateRegexProgramSize } from './regex-size';
import { WorkBudget, WhenLimitExceeded, formatCount } from './work-budget';

const CACHE_LIMIT = 64;
/**
 * The estimate over-counts some patterns (alternations of single characters) up to about 6×; a
 * pattern estimated above this is refused before compiling, one below it is compiled and held to
 * `regexProgramMax` by its real size. Compiling 8,000 instructions takes a few tens of ms.
 */
const ESTIMATE_GUARD = 4 * WHEN_LIMITS.regexProgramMax;

interface Compiled {
  re: RE2JS;
  size: number;
}

// `null` caches "does not compile" so a bad pattern coming from data is not re-parsed on every evaluation.
const cache = new Map<string, Compiled | null>();

const compileUncached = (pattern: string): Compiled | null => {
  try {
    const re = RE2JS.compile(pattern);
    return { re, size: re.programSize() };
  } catch {
    return null;
  }
};

const compiled = (pattern: string): Compiled | null => {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    // Re-insert so the Map's insertion order doubles as least-recently-used order.
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const fresh = compileUncached(pattern);
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(pattern, fresh);
  return fresh;
};

/*
 * re2js keeps a lazily built DFA on each compiled pattern (up to 8 MB); the cache holds programs
 * only, so a few dozen hostile subjects cannot pin gigabytes in the worker.
 */
const dropMatcherCaches = (re: RE2JS): void => {
  const engine = re.re2() as unknown as { lazyDFA?: unknown };
  if ('lazyDFA' in engine) engine.lazyDFA = null;
};

/** RE2's complaint about a pattern that does not compile (it is compiled again: the cache keeps no errors). */
const syntaxError = (pattern: string): string => {
  try {
    RE2JS.compile(pattern);
    return `invalid regex pattern ${JSON.stringify(pattern)}`;
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    return `invalid regex pattern ${JSON.stringify(pattern)}: ${detail}`;
  }
};

const quoted = (pattern: string): string => (pattern.length <= 40 ? JSON.stringify(pattern) : `${JSON.stringify(pattern.slice(0, 40))}…`);

const programTooLarge = (size: number, about: boolean): string =>
  `compiles to ${about ? 'about ' : ''}${formatCount(size)} instructions (max ${formatCount(WHEN_LIMITS.regexProgramMax)}); lower its counted repetitions ({n,m})`;

/**
 * Why `pattern` is over the pattern limits judged from its text (length, estimated program size),
 * or undefined. Cheap: nothing is compiled.
 */
const patternTextProblem = (pattern: string): string | undefined => {
  if (pattern.length > WHEN_LIMITS.regexPatternMaxChars) {
    return `regex pattern is ${formatCount(pattern.length)} characters long (max ${formatCount(WHEN_LIMITS.regexPatternMaxChars)})`;
  }
  const estimate = estimateRegexProgramSize(pattern);
  if (estimate > ESTIMATE_GUARD) return `regex pattern ${quoted(pattern)} ${programTooLarge(estimate, true)}`;
  return undefined;
};

/**
 * Checks a literal pattern of a definition: its limits, then RE2 syntax. `size` is the compiled
 * program size (0 when nothing was compiled), which counts toward the definition's total even when
 * the pattern is refused, because compiling it was work done.
 */
export const checkLiteralPattern = (pattern: string): { problem: string | undefined; size: number } => {
  const textProblem = patternTextProblem(pattern);
  if (textProblem !== undefined) return { problem: textProblem, size: 0 };
  const result = compiled(pattern);
  if (result === null) return { problem: syntaxError(pattern), size: 0 };
  if (result.size > WHEN_LIMITS.regexProgramMax) {
    return { problem: `regex pattern ${quoted(pattern)} ${programTooLarge(result.size, false)}`, size: result.size };
  }
  return { problem: undefined, size: result.size };
};

/**
 * Unanchored search within `budget`: the compile (per estimated instruction) and the run (program
 * size × subject length) are charged before they happen, whether or not the program is cached, so
 * the outcome never depends on what ran before. Over a limit it throws `WhenLimitExceeded`; a
 * pattern that does not compile is false.
 */
export const boundedRegexTest = (value: string, pattern: string, budget: WorkBudget): boolean => {
  const textProblem = patternTextProblem(pattern);
  if (textProblem !== undefined) throw new WhenLimitExceeded(textProblem);
  if (value.length > WHEN_LIMITS.regexSubjectMaxChars) {
    throw new WhenLimitExceeded(
      `regex subject is ${formatCount(value.length)} characters long (max ${formatCount(WHEN_LIMITS.regexSubjectMaxChars)})`,
    );
  }
  const estimate = estimateRegexProgramSize(pattern);
  budget.charge(estimate * WORK_COSTS.regexCompilePerInstruction, () => `compiling regex pattern ${quoted(pattern)}`);
  const result = compiled(pattern);
  if (result === null) return false;
  if (result.size > WHEN_LIMITS.regexProgramMax)
    throw new WhenLimitExceeded(`regex pattern ${quoted(pattern)} ${programTooLarge(result.size, false)}`);
  budget.charge(
    result.size * (value.length + 1),
    () => `regex ${quoted(pattern)} (${formatCount(result.size)} instructions) over ${formatCount(value.length)} characters`,
  );
  try {
    return result.re.test(value);
  } catch {
    return false;
  } finally {
    dropMatcherCaches(result.re);
  }
};

/** Unanchored search with a fresh per-evaluation budget; false when over a limit or when the pattern does not compile. */
export const regexMatches = (value: string, pattern: string): boolean => {
  try {
    return boundedRegexTest(value, pattern, new WorkBudget(WHEN_LIMITS.workPerEvaluation, 'per evaluation'));
  } catch (error) {
    if (error instanceof WhenLimitExceeded) return false;
    throw error;
  }
};

export const regexCacheSize = (): number => cache.size;
export const REGEX_CACHE_LIMIT = CACHE_LIMIT;

import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import {
  compileWhen,
  evaluateWhen,
  evaluateWhenWithin,
  happeningBudget,
  WHEN_LIMITS,
  WORK_COSTS,
  type WhenAst,
} from '../../../src/core/when';
import { deepEqual } from '../../../src/core/when/deep-equal';
import { estimateRegexProgramSize } from '../../../src/core/when/regex-size';
import { containsSubstring } from '../../../src/core/when/string-search';
import { countedPattern, POISON_PATTERN, poisonSubject } from '../../fixtures/costly-expressions';
import { compileMessage, compileOk, op, scopeOf, v } from './helpers';

const programSize = (pattern: string): number => RE2JS.compile(pattern).programSize();
const literalRegex = (pattern: string): string => JSON.stringify(op('regex', v('output.text'), pattern));
const dataRegex = compileOk(JSON.stringify(op('regex', v('output.text'), v('output.pattern')))).ast;
const runRegex = (text: string, pattern: string, happening = happeningBudget()) =>
  evaluateWhenWithin(dataRegex, scopeOf({ output: { text, pattern } }), happening);

/** What one regex evaluation is charged: its compile (estimated size) and its run (real size × subject). */
const regexCost = (pattern: string, subjectLength: number): number =>
  estimateRegexProgramSize(pattern) * WORK_COSTS.regexCompilePerInstruction + programSize(pattern) * (subjectLength + 1);

/** The longest subject `pattern` may run over within `units`. */
const longestWithin = (pattern: string, units: number): number =>
  Math.floor((units - estimateRegexProgramSize(pattern) * WORK_COSTS.regexCompilePerInstruction) / programSize(pattern)) - 1;

describe('regex limits at write time: accepted at the bound, refused just over it', () => {
  it('pattern length: 1,000 characters', () => {
    expect(compileWhen(literalRegex('a'.repeat(1000))).ok).toBe(true);
    expect(compileMessage(literalRegex('a'.repeat(1001)))).toBe('regex pattern is 1,001 characters long (max 1,000)');
  });

  it('program size: 2,000 instructions as RE2 compiles it (counted repetition)', () => {
    expect(programSize(countedPattern(999))).toBe(2000);
    expect(compileWhen(literalRegex(countedPattern(999))).ok).toBe(true);
    expect(programSize(`${countedPattern(999)}a`)).toBe(2001);
    expect(compileMessage(literalRegex(`${countedPattern(999)}a`))).toBe(
      'regex pattern "[ab]{0,999}a" compiles to 2,001 instructions (max 2,000); lower its counted repetitions ({n,m})',
    );
  });

  it('refuses the poison pattern of the issue, naming its size', () => {
    expect(compileMessage(literalRegex(POISON_PATTERN))).toBe(
      `regex pattern ${JSON.stringify(POISON_PATTERN)} compiles to 3,001 instructions (max 2,000); lower its counted repetitions ({n,m})`,
    );
  });

  it('refuses a pattern whose estimate is far over the limit without compiling it', () => {
    const huge = 'a{1000}'.repeat(140);
    expect(compileMessage(literalRegex(huge))).toMatch(
      /^regex pattern "a\{1000\}a\{1000\}.*compiles to about 140,002 instructions \(max 2,000\)/,
    );
  });

  it('regex operators per expression: 8', () => {
    const ops = (n: number) => JSON.stringify(op('or', ...Array.from({ length: n }, (_, i) => op('regex', v('output.text'), `^${i}$`))));
    expect(compileWhen(ops(8)).ok).toBe(true);
    expect(compileMessage(ops(9))).toBe('too many regex operators in one expression (max 8) (at args[8])');
  });

  it('a pattern taken from data is not compiled at write time (it is bounded when evaluated)', () => {
    expect(compileWhen(JSON.stringify(op('regex', v('output.text'), v('execution.input.pattern')))).ok).toBe(true);
  });
});

describe('regex limits at run time: a `when` over them reports which one', () => {
  it('subject length: 262,144 characters', () => {
    expect(runRegex('x'.repeat(262_144), 'y')).toEqual({ ok: true, value: false });
    expect(runRegex('x'.repeat(262_145), 'y')).toEqual({ ok: false, error: 'regex subject is 262,145 characters long (max 262,144)' });
  });

  it('pattern from data: 1,000 characters, 2,000 instructions', () => {
    expect(runRegex('aaa', 'a'.repeat(1000))).toEqual({ ok: true, value: false });
    expect(runRegex('aaa', 'a'.repeat(1001))).toEqual({ ok: false, error: 'regex pattern is 1,001 characters long (max 1,000)' });
    expect(runRegex('ab', countedPattern(999))).toEqual({ ok: true, value: true });
    expect(runRegex('ab', POISON_PATTERN)).toMatchObject({ ok: false, error: expect.stringContaining('compiles to 3,001 instructions') });
  });

  it('a pattern from data that does not compile is still false', () => {
    expect(runRegex('(a', '(a')).toEqual({ ok: true, value: false });
  });

  it('work per evaluation: compile and run are charged before they happen', () => {
    const pattern = countedPattern(999);
    const longest = longestWithin(pattern, WHEN_LIMITS.workPerEvaluation);
    expect(longest).toBe(791);
    expect(regexCost(pattern, longest)).toBeLessThanOrEqual(WHEN_LIMITS.workPerEvaluation);
    expect(runRegex('c'.repeat(longest), pattern)).toEqual({ ok: true, value: true });
    expect(runRegex('c'.repeat(longest + 1), pattern)).toEqual({
      ok: false,
      error:
        'regex "[ab]{0,999}" (2,000 instructions) over 792 characters would cost 1,586,000 work units, more than the 1,585,152 left of the 2,097,152 allowed per evaluation',
    });
  });

  it('work per happening: the evaluations one happening causes share one pool', () => {
    const pattern = countedPattern(999);
    const full = 'c'.repeat(longestWithin(pattern, WHEN_LIMITS.workPerEvaluation));
    const evaluations = WHEN_LIMITS.workPerHappening / WHEN_LIMITS.workPerEvaluation;
    const happening = (): ReturnType<typeof happeningBudget> => {
      const budget = happeningBudget();
      for (let i = 0; i < evaluations; i += 1) expect(runRegex(full, pattern, budget).ok).toBe(true);
      return budget;
    };
    const left = WHEN_LIMITS.workPerHappening - evaluations * regexCost(pattern, full.length);
    const fits = longestWithin('x', left);
    expect(runRegex('c'.repeat(fits), 'x', happening())).toEqual({ ok: true, value: false });
    expect(runRegex('c'.repeat(fits + 1), 'x', happening())).toMatchObject({
      ok: false,
      error: expect.stringMatching(/allowed per happening$/),
    });
    // A fresh happening has its whole pool again.
    expect(runRegex('c'.repeat(fits + 1), 'x', happeningBudget())).toEqual({ ok: true, value: false });
  });

  it('the poison pill of the issue is refused before any matching, whatever the subject', () => {
    const outcome = runRegex(poisonSubject(255_000), POISON_PATTERN);
    expect(outcome).toMatchObject({ ok: false });
    expect(evaluateWhen(dataRegex, scopeOf({ output: { text: poisonSubject(255_000), pattern: POISON_PATTERN } }))).toBe(false);
  });

  it('a catastrophic shape under the size cap is refused by the budget, not run to the end', () => {
    const underCap = '(?:[ab]{0,499}a)[ab]{499}y';
    expect(programSize(underCap)).toBeLessThanOrEqual(WHEN_LIMITS.regexProgramMax);
    expect(runRegex(poisonSubject(255_000), underCap)).toMatchObject({ ok: false, error: expect.stringContaining('per evaluation') });
  });
});

describe('comparisons and string searches are charged too', () => {
  it('eq over arrays: 16 units per item visited', () => {
    const items = WHEN_LIMITS.workPerEvaluation / WORK_COSTS.comparedValue;
    const eq = op('eq', v('output.a'), v('output.b'));
    const arrays = (n: number) => scopeOf({ output: { a: new Array<number>(n).fill(1), b: new Array<number>(n).fill(1) } });
    expect(evaluateWhenWithin(eq, arrays(items))).toEqual({ ok: true, value: true });
    expect(evaluateWhenWithin(eq, arrays(items + 1))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^comparing values would cost/),
    });
  });

  it('includes over a string: one unit per character of both strings', () => {
    const includes = op('includes', v('output.a'), v('output.b'));
    const budget = WHEN_LIMITS.workPerEvaluation;
    const needle = `${'a'.repeat(50)}b${'a'.repeat(50)}`;
    const scope = (hay: number) => scopeOf({ output: { a: 'a'.repeat(hay), b: needle } });
    expect(evaluateWhenWithin(includes, scope(budget - needle.length))).toEqual({ ok: true, value: false });
    expect(evaluateWhenWithin(includes, scope(budget - needle.length + 1))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^searching a string would cost/),
    });
  });

  it("a needle that makes V8's includes quadratic is searched in linear time", () => {
    const hay = 'a'.repeat(262_000);
    const needle = `${'a'.repeat(50_000)}b${'a'.repeat(50_000)}`;
    expect(containsSubstring(hay, needle)).toBe(false);
    expect(containsSubstring(`${hay}b${hay}`, needle)).toBe(true);
  });

  it('containsSubstring agrees with includes', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 300 }),
        fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 60 }),
        (hay, needle) => {
          expect(containsSubstring(hay, needle)).toBe(hay.includes(needle));
          expect(containsSubstring(hay + needle + hay, needle)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('compares values nested 100,000 deep without recursion, in linear time', () => {
    const nest = (leaf: unknown, levels = 100_000): unknown => {
      let value = leaf;
      for (let i = 0; i < levels; i += 1) value = { a: [value] };
      return value;
    };
    expect(deepEqual(nest(1), nest(1))).toBe(true);
    expect(deepEqual(nest(1), nest(2))).toBe(false);
    // Two containers a level, 16 units each: 50,000 levels fit one evaluation.
    const ast: WhenAst = op('eq', v('output.a'), v('output.b'));
    expect(evaluateWhenWithin(ast, scopeOf({ output: { a: nest(1, 50_000), b: nest(1, 50_000) } }))).toEqual({ ok: true, value: true });
  });
});

describe('the program size estimate (it guards compiling)', () => {
  const atom = fc.constantFrom('a', 'b', '.', '[a-c]', '\\d', '\\pL', '(?i)x', '\\Qxy\\E', '[^z]', '^', '$', '\\b', 'é', '😀', '\\x{41}');
  const quantifier = fc.constantFrom('', '*', '+', '?', '{2}', '{0,3}', '{2,}', '{3,5}', '*?', '{1,4}?', '{0}', '{1}', '{12}');
  const { pattern } = fc.letrec<{ pattern: string }>((tie) => ({
    pattern: fc.oneof(
      { depthSize: 'small' },
      fc.tuple(atom, quantifier).map(([a, q]) => a + q),
      fc.array(tie('pattern'), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')),
      fc
        .tuple(fc.array(tie('pattern'), { minLength: 2, maxLength: 3 }), fc.constantFrom('(', '(?:', '(?P<n>', '(?i:'), quantifier)
        .map(([parts, open, q]) => `${open}${parts.join('|')})${q}`),
    ),
  }));

  it('is never below the compiled size', () => {
    fc.assert(
      fc.property(pattern, (p) => {
        let size: number;
        try {
          size = programSize(p);
        } catch {
          return;
        }
        expect(estimateRegexProgramSize(p)).toBeGreaterThanOrEqual(size);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['a{1000}', POISON_PATTERN, '[a-z]{0,1000}', '(a)(b)(c)', '\\Qa.b{3}\\E{5}', '[]a]{10}', '[[:alpha:]]{10}', '(?i:ab){100}', ''])(
    'matches RE2 on %j',
    (p) => {
      expect(estimateRegexProgramSize(p)).toBe(programSize(p));
    },
  );
});

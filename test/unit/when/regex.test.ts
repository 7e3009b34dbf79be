import { describe, expect, it } from 'vitest';
import { compileWhen, evaluateWhen } from '../../../src/core/when';
import { REGEX_CACHE_LIMIT, regexCacheSize, regexMatches } from '../../../src/core/when/regex';
import { compileOk, evalAst, op, scopeOf, v } from './helpers';

describe('regex engine (RE2, linear time)', () => {
  const evil = 'a'.repeat(50_000);

  it.each<[string, string, string, boolean]>([
    ['nested quantifier, no match', '(a+)+$', `${evil}!`, false],
    ['nested quantifier, match', '(a+)+$', evil, true],
    ['alternation blow-up, no match', '^(a|aa)+$', `${evil}b`, false],
    ['alternation blow-up, match', '^(a|a?)+$', evil, true],
    ['classic (x+x+)+y', '(x+x+)+y', 'x'.repeat(50_000), false],
  ])('%s returns the right answer on 50k characters', (_name, pattern, value, expected) => {
    const ast = op('regex', v('output.body'), pattern);
    expect(evalAst(ast, scopeOf({ output: { body: value } }))).toBe(expected);
  });

  it('also handles a catastrophic pattern supplied at run time', () => {
    const ast = compileOk(JSON.stringify(op('regex', v('output.body'), v('execution.input.pattern')))).ast;
    const scope = scopeOf({ output: { body: `${evil}!` }, input: { pattern: '(a+)+$' } });
    expect(evaluateWhen(ast, scope)).toBe(false);
    expect(evaluateWhen(ast, scopeOf({ output: { body: evil }, input: { pattern: '(a+)+$' } }))).toBe(true);
  });

  it('uses RE2 syntax, not ECMAScript: a JS-only construct is rejected at compile time', () => {
    expect(compileWhen(JSON.stringify(op('regex', v('output.x'), '(?<=a)b'))).ok).toBe(false);
    expect(compileWhen(JSON.stringify(op('regex', v('output.x'), '\\d+\\s\\w'))).ok).toBe(true);
  });

  it('evaluates a run-time pattern longer than a when source as false', () => {
    const long = 'a'.repeat(5000);
    expect(regexMatches(long, long)).toBe(false);
    expect(regexMatches(long, 'a{3}')).toBe(true);
  });

  it('keeps the compiled-pattern cache bounded and still answers correctly after eviction', () => {
    for (let i = 0; i < REGEX_CACHE_LIMIT + 50; i += 1) {
      expect(regexMatches(`id-${i}`, `^id-${i}$`)).toBe(true);
      expect(regexMatches(`id-${i + 1}`, `^id-${i}$`)).toBe(false);
    }
    expect(regexCacheSize()).toBeLessThanOrEqual(REGEX_CACHE_LIMIT);
    expect(regexMatches('id-0', '^id-0$')).toBe(true);
    expect(regexMatches('x', '(unclosed')).toBe(false);
    expect(regexMatches('x', '(unclosed')).toBe(false);
  });
});

import { RE2JS } from 're2js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateDefinition } from '../../../src/core/definition';
import { WHEN_LIMITS } from '../../../src/core/when';
import {
  costliestAllowedDefinition,
  countedPattern,
  patternsTotalling,
  poisonDefinition,
  regexDefinition,
} from '../../fixtures/costly-expressions';
import { agent, definition, edge, messagesOf, violationsOf } from './helpers';

const programSize = (pattern: string): number => RE2JS.compile(pattern).programSize();

/** Counts what validation compiles: how many patterns, and how many instructions in all. */
const watchCompiles = () => {
  const compile = RE2JS.compile.bind(RE2JS);
  const sizes: number[] = [];
  vi.spyOn(RE2JS, 'compile').mockImplementation((pattern: string, flags?: number) => {
    const re = compile(pattern, flags);
    sizes.push(re.programSize());
    return re;
  });
  return { count: () => sizes.length, instructions: () => sizes.reduce((a, b) => a + b, 0) };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('validation work is capped per request', () => {
  it('the costliest allowed definition compiles each of its 64 patterns once, 20,000 instructions in all', () => {
    const input = costliestAllowedDefinition(programSize, 'costliest-unit');
    expect(JSON.stringify(input).length).toBeLessThan(1024 * 1024);
    const compiles = watchCompiles();
    expect(validateDefinition(input).ok).toBe(true);
    expect(compiles.count()).toBeLessThanOrEqual(WHEN_LIMITS.regexOpsPerDefinition);
    expect(compiles.instructions()).toBeLessThanOrEqual(WHEN_LIMITS.regexProgramPerDefinition);
  });

  it('a definition over its regex budget stops compiling as soon as the total is passed', () => {
    const patterns = Array.from({ length: WHEN_LIMITS.regexOpsPerDefinition }, (_, i) => countedPattern(999, `x${i}`));
    const compiles = watchCompiles();
    const messages = messagesOf(regexDefinition(patterns, 'over-budget'));
    // 10 patterns of 2,000 reach the total; the 11th passes it; nothing after it is compiled.
    expect(compiles.count()).toBe(11);
    expect(messages[0]).toBe(
      "data.edges[1].when: the definition's regex patterns compile to more than 20,000 instructions in total (at args[2])",
    );
  });

  it("the issue's 990 KB definition (47 poison regexes on 215 edges) is refused without compiling any of them", () => {
    const input = poisonDefinition();
    expect(JSON.stringify(input).length).toBeGreaterThan(980_000);
    const compiles = watchCompiles();
    const violations = violationsOf(input);
    expect(compiles.count()).toBe(0);
    expect(violations).toHaveLength(47);
    expect(violations[0]?.message).toMatch(
      /^data\.edges\[0\]\.when: regex pattern .* compiles to about 29,99\d instructions \(max 2,000\)/,
    );
  });
});

describe('per-definition regex limits: accepted at the bound, refused just over it', () => {
  it('64 regex operators in a definition', () => {
    const patterns = (n: number) => Array.from({ length: n }, (_, i) => `^op-${i}$`);
    expect(validateDefinition(regexDefinition(patterns(64), 'ops-64')).ok).toBe(true);
    expect(messagesOf(regexDefinition(patterns(65), 'ops-65'))).toEqual([
      'data.edges[8].when: too many regex operators in the definition (max 64 across all its expressions)',
    ]);
  });

  it('20,000 instructions of literal patterns in a definition', () => {
    const exact = patternsTotalling(20_000, programSize);
    expect(exact.reduce((sum, p) => sum + programSize(p), 0)).toBe(20_000);
    expect(validateDefinition(regexDefinition(exact, 'program-20000')).ok).toBe(true);
    const over = patternsTotalling(20_001, programSize);
    expect(over.reduce((sum, p) => sum + programSize(p), 0)).toBe(20_001);
    expect(messagesOf(regexDefinition(over, 'program-20001'))).toEqual([
      "data.edges[7].when: the definition's regex patterns compile to more than 20,000 instructions in total (at args[7])",
    ]);
  });

  it('names the field of a refused pattern in loops and loopBack too', () => {
    const poison = JSON.stringify({ op: 'regex', args: [{ var: 'output.text' }, `${countedPattern(999)}a`] });
    const messages = messagesOf(
      definition({
        nodes: [agent('a'), agent('b')],
        edges: [edge('a', 'b')],
        loops: [{ loopId: 'l', entryNodeId: 'a', bodyNodeIds: ['a', 'b'], maxIterations: 2, onIterationReject: { when: poison } }],
      }),
    );
    expect(messages[0]).toMatch(
      /^data\.loops\[0\]\.onIterationReject\.when: regex pattern "\[ab\]\{0,999\}a" compiles to 2,001 instructions/,
    );
  });
});

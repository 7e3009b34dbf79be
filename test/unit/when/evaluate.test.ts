import { describe, expect, it } from 'vitest';
import { evaluateWhen, type WhenAst } from '../../../src/core/when';
import { evalAst, op, scopeOf, v } from './helpers';

const output = {
  s: 'hello world',
  empty: '',
  n: 5,
  zero: 0,
  f: 1.5,
  t: true,
  fl: false,
  nil: null,
  arr: [1, 'two', { k: [3] }],
  emptyArr: [],
  obj: { a: 1, b: [1, 2], c: { d: 'x' } },
  obj2: { c: { d: 'x' }, b: [1, 2], a: 1 },
  emptyObj: {},
  numStr: '5',
  nested: { deep: { value: 'v' } },
  'passes-brand': true,
  kObj: { k: [3] },
  objSubset: { a: 1 },
  objSubsetNull: { a: 1, z: null },
};
const scope = scopeOf({
  output,
  step: { stepId: 's1', status: 'breached', retryCount: 2, output: { score: 9 } },
  input: { campaign: 'Q2 launch', tags: ['a', 'b'] },
});
const run = (ast: WhenAst): boolean => evalAst(ast, scope);

describe('eq / neq / ne', () => {
  it.each<[string, WhenAst, WhenAst, boolean]>([
    ['equal strings', v('output.s'), 'hello world', true],
    ['different strings', v('output.s'), 'hello', false],
    ['equal numbers', v('output.n'), 5, true],
    ['number vs numeric string (no coercion)', v('output.n'), '5', false],
    ['numeric string vs number (no coercion)', v('output.numStr'), 5, false],
    ['0 vs false (no coercion)', v('output.zero'), false, false],
    ['"" vs false (no coercion)', v('output.empty'), false, false],
    ['"" vs null', v('output.empty'), null, false],
    ['true vs 1', v('output.t'), 1, false],
    ['explicit null vs null', v('output.nil'), null, true],
    ['missing path vs null', v('output.nope'), null, true],
    ['missing deep path vs null', v('output.nope.deeper.still'), null, true],
    ['path through a scalar vs null', v('output.s.length'), null, true],
    ['array vs array literal (deep)', v('output.emptyArr'), [], true],
    ['nested path under step.output', v('step.output.score'), 9, true],
    ['array literal element order matters', [1, 2], [2, 1], false],
    ['array literals equal', [1, [2, 'x']], [1, [2, 'x']], true],
    ['array literal length differs', [1, 2], [1, 2, 3], false],
    ['objects compared structurally, key order ignored', v('output.obj'), v('output.obj2'), true],
    ['object vs different object', v('output.obj'), v('output.nested'), false],
    ['object vs its subset', v('output.obj'), v('output.objSubset'), false],
    ['object with an extra null key vs without', v('output.objSubset'), v('output.objSubsetNull'), false],
    ['empty object vs empty array', v('output.emptyObj'), v('output.emptyArr'), false],
    ['empty object vs null', v('output.emptyObj'), null, false],
    ['array index path', v('output.arr.1'), 'two', true],
    ['object inside array, deep', v('output.arr.2.k.0'), 3, true],
    ['non-canonical array index is not an index', v('output.arr.01'), null, true],
    ['dashed key', v('output.passes-brand'), true, true],
    ['execution.input path', v('execution.input.campaign'), 'Q2 launch', true],
    ['step field', v('step.status'), 'breached', true],
    ['step field is a number', v('step.retryCount'), 2, true],
  ])('eq: %s', (_name, a, b, expected) => {
    expect(run(op('eq', a, b))).toBe(expected);
    expect(run(op('eq', b, a))).toBe(expected);
    expect(run(op('neq', a, b))).toBe(!expected);
    expect(run(op('ne', a, b))).toBe(!expected);
  });

  it('compares the whole output object', () => {
    const s = scopeOf({ output: { a: [1] } });
    expect(evalAst(op('eq', v('output'), v('output')), s)).toBe(true);
    expect(evalAst(op('isEmpty', v('output')), s)).toBe(false);
    expect(evalAst(op('isEmpty', v('execution.input')), s)).toBe(true);
  });
});

describe('ordering operators', () => {
  it.each<[WhenAst, WhenAst, { gt: boolean; gte: boolean; lt: boolean; lte: boolean }]>([
    [v('output.n'), 4, { gt: true, gte: true, lt: false, lte: false }],
    [v('output.n'), 5, { gt: false, gte: true, lt: false, lte: true }],
    [v('output.n'), 6, { gt: false, gte: false, lt: true, lte: true }],
    [v('output.f'), 1.25, { gt: true, gte: true, lt: false, lte: false }],
    [-1, -0.5, { gt: false, gte: false, lt: true, lte: true }],
    ['b', 'a', { gt: true, gte: true, lt: false, lte: false }],
    ['a', 'a', { gt: false, gte: true, lt: false, lte: true }],
    ['B', 'a', { gt: false, gte: false, lt: true, lte: true }],
    ['10', '9', { gt: false, gte: false, lt: true, lte: true }],
    // Mixed or non-orderable types are never ordered, in either direction.
    [v('output.numStr'), 4, { gt: false, gte: false, lt: false, lte: false }],
    [5, '5', { gt: false, gte: false, lt: false, lte: false }],
    [v('output.nope'), 0, { gt: false, gte: false, lt: false, lte: false }],
    [null, null, { gt: false, gte: false, lt: false, lte: false }],
    [true, false, { gt: false, gte: false, lt: false, lte: false }],
    [[2], [1], { gt: false, gte: false, lt: false, lte: false }],
    [v('output.obj'), 1, { gt: false, gte: false, lt: false, lte: false }],
  ])('%j vs %j', (a, b, expected) => {
    expect({
      gt: run(op('gt', a, b)),
      gte: run(op('gte', a, b)),
      lt: run(op('lt', a, b)),
      lte: run(op('lte', a, b)),
    }).toEqual(expected);
  });
});

describe('and / or / not', () => {
  it.each<[string, WhenAst, boolean]>([
    ['and: all true', op('and', true, true), true],
    ['and: one false', op('and', true, false), false],
    ['and: three args', op('and', true, true, true), true],
    ['and: three args, last false', op('and', true, true, false), false],
    ['and: non-boolean truthy value is not true', op('and', true, 1), false],
    ['and: string "true" is not true', op('and', true, 'true'), false],
    ['and: missing is not true', op('and', true, v('output.nope')), false],
    ['or: one true', op('or', false, true), true],
    ['or: none true', op('or', false, false), false],
    ['or: truthy non-booleans are not true', op('or', 1, 'x', [1]), false],
    ['or: variable true', op('or', v('output.fl'), v('output.t')), true],
    ['not: true', op('not', true), false],
    ['not: false', op('not', false), true],
    ['not: missing (not exactly true)', op('not', v('output.nope')), true],
    ['not: 1 (not exactly true)', op('not', 1), true],
    ['not: double negation of missing', op('not', op('not', v('output.nope'))), false],
    ['nested', op('or', op('and', op('eq', v('output.n'), 5), op('not', v('output.fl'))), false), true],
  ])('%s', (_name, ast, expected) => {
    expect(run(ast)).toBe(expected);
  });
});

describe('regex', () => {
  it.each<[string, WhenAst, WhenAst, boolean]>([
    ['anchored match', v('output.s'), '^hello', true],
    ['unanchored search', v('output.s'), 'o w', true],
    ['no match', v('output.s'), '^world', false],
    ['case sensitive, no flags', v('output.s'), 'HELLO', false],
    ['inline RE2 flag', v('output.s'), '(?i)HELLO', true],
    ['non-string value', v('output.n'), '5', false],
    ['missing value', v('output.nope'), '.*', false],
    ['array value', v('output.arr'), 'two', false],
    ['pattern from a variable', 'hello world', v('output.s'), true],
    ['pattern from a variable that is not a string', 'x', v('output.n'), false],
    ['pattern from a missing variable', 'x', v('output.nope'), false],
    ['empty pattern matches anything', v('output.empty'), '', true],
    ['unicode', 'café', 'é$', true],
  ])('%s', (_name, value, pattern, expected) => {
    expect(run(op('regex', value, pattern))).toBe(expected);
  });

  it('a variable pattern that does not compile evaluates false', () => {
    const s = scopeOf({ output: { p: '(unclosed', v: '(unclosed' } });
    expect(evalAst(op('regex', v('output.v'), v('output.p')), s)).toBe(false);
    expect(evalAst(op('not', op('regex', v('output.v'), v('output.p'))), s)).toBe(true);
  });
});

describe('includes / startsWith / endsWith', () => {
  it.each<[string, WhenAst, boolean]>([
    ['string contains substring', op('includes', v('output.s'), 'lo wo'), true],
    ['string lacks substring', op('includes', v('output.s'), 'xyz'), false],
    ['string and empty needle', op('includes', v('output.s'), ''), true],
    ['string haystack, number needle (no coercion)', op('includes', 'a5', 5), false],
    ['array contains number', op('includes', v('output.arr'), 1), true],
    ['array contains string', op('includes', v('output.arr'), 'two'), true],
    ['array does not coerce', op('includes', v('output.arr'), '1'), false],
    ['array lacks a different object', op('includes', v('output.arr'), v('output.obj.c')), false],
    ['array contains an equal object (deep, not identity)', op('includes', v('output.arr'), v('output.kObj')), true],
    ['array contains nested object (deep)', op('includes', [[1, 2], [3]], [3]), true],
    ['array of input tags', op('includes', v('execution.input.tags'), 'b'), true],
    ['array literal haystack with variable needle', op('includes', ['approve', 'reject'], v('output.s')), false],
    ['array literal with variables inside', op('includes', [v('output.n'), v('output.s')], 'hello world'), true],
    ['object haystack', op('includes', v('output.obj'), 'a'), false],
    ['number haystack', op('includes', 12345, 3), false],
    ['missing haystack', op('includes', v('output.nope'), null), false],
    ['startsWith true', op('startsWith', v('output.s'), 'hell'), true],
    ['startsWith false', op('startsWith', v('output.s'), 'world'), false],
    ['startsWith non-string value', op('startsWith', v('output.n'), '5'), false],
    ['startsWith non-string prefix', op('startsWith', v('output.numStr'), 5), false],
    ['startsWith on array', op('startsWith', v('output.arr'), 1), false],
    ['endsWith true', op('endsWith', v('output.s'), 'world'), true],
    ['endsWith false', op('endsWith', v('output.s'), 'hello'), false],
    ['endsWith missing', op('endsWith', v('output.nope'), ''), false],
  ])('%s', (_name, ast, expected) => {
    expect(run(ast)).toBe(expected);
  });
});

describe('length', () => {
  it.each<[string, WhenAst, WhenAst]>([
    ['string', v('output.s'), 11],
    ['empty string', v('output.empty'), 0],
    ['array', v('output.arr'), 3],
    ['empty array', v('output.emptyArr'), 0],
    ['array literal', [1, 2, 3, 4], 4],
    ['UTF-16 code units', '😀', 2],
  ])('of %s', (_name, value, expected) => {
    expect(run(op('eq', op('length', value), expected))).toBe(true);
    expect(run(op('eq', op('length', value), 999))).toBe(false);
  });

  it.each<[string, WhenAst]>([
    ['number', v('output.n')],
    ['boolean', v('output.t')],
    ['object', v('output.obj')],
    ['null', v('output.nil')],
    ['missing', v('output.nope')],
  ])('of a %s is null, so it is not a number', (_name, value) => {
    expect(run(op('eq', op('length', value), null))).toBe(true);
    expect(run(op('gte', op('length', value), 0))).toBe(false);
    expect(run(op('lt', op('length', value), 1000))).toBe(false);
  });

  it('is usable inside comparisons', () => {
    expect(run(op('gt', op('length', v('execution.input.tags')), 1))).toBe(true);
    expect(run(op('gt', op('length', v('execution.input.tags')), 2))).toBe(false);
  });
});

describe('isEmpty', () => {
  it.each<[string, WhenAst, boolean]>([
    ['null', v('output.nil'), true],
    ['missing', v('output.nope'), true],
    ['empty string', v('output.empty'), true],
    ['empty array', v('output.emptyArr'), true],
    ['empty object', v('output.emptyObj'), true],
    ['null literal', null, true],
    ['empty array literal', [], true],
    ['non-empty string', v('output.s'), false],
    ['whitespace string', ' ', false],
    ['non-empty array', v('output.arr'), false],
    ['non-empty object', v('output.obj'), false],
    ['zero', v('output.zero'), false],
    ['false', v('output.fl'), false],
    ['true', v('output.t'), false],
  ])('%s -> %s', (_name, value, expected) => {
    expect(run(op('isEmpty', value))).toBe(expected);
  });
});

describe('final result', () => {
  it.each<[string, WhenAst, boolean]>([
    ['literal true', true, true],
    ['literal false', false, false],
    ['a truthy number is not true', 1, false],
    ['a truthy string is not true', 'true', false],
    ['null', null, false],
    ['a variable holding true', v('output.t'), true],
    ['a variable holding a truthy object', v('output.obj'), false],
    ['length (a number) is not true', op('length', v('output.s')), false],
  ])('%s', (_name, ast, expected) => {
    expect(run(ast)).toBe(expected);
  });

  it('accepts an AST built by hand, including the ne alias', () => {
    expect(evaluateWhen({ op: 'ne', args: [1, 2] }, scope)).toBe(true);
    expect(evaluateWhen({ op: 'ne', args: [2, 2] }, scope)).toBe(false);
  });
});

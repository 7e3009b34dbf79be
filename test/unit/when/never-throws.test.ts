import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWhen, evaluateWhen, type WhenAst, type WhenScope } from '../../../src/core/when';
import { compileOk, op, scopeOf, v } from './helpers';

const everyOperatorAst = compileOk(
  JSON.stringify(
    op(
      'or',
      op('eq', v('output.a'), v('output.b')),
      op('neq', v('output.a.b.c'), [1, [2]]),
      op('gt', v('output'), 1),
      op('gte', v('step.status'), 'a'),
      op('lt', v('execution.input'), v('output.a')),
      op('lte', op('length', v('output.a')), 3),
      op('not', v('output.a.0')),
      op('and', v('output.a'), v('step.output.x')),
      op('regex', v('output.a'), v('output.b')),
      op('regex', v('output.a'), '^x'),
      op('includes', v('output.a'), v('output.b')),
      op('startsWith', v('output.a'), v('output.b')),
      op('endsWith', v('output.a'), 'x'),
      op('isEmpty', v('output.a.b')),
    ),
  ),
).ast;

const cyclicObject = (): Record<string, unknown> => {
  const o: Record<string, unknown> = { x: 1 };
  o.self = o;
  o.a = o;
  o.b = o;
  return o;
};

const cyclicArray = (): unknown[] => {
  const arr: unknown[] = [1];
  arr.push(arr);
  return arr;
};

describe('evaluateWhen never throws on hostile scopes', () => {
  const hostile: [string, unknown][] = [
    ['null scope', null],
    ['undefined scope', undefined],
    ['number scope', 42],
    ['string scope', 'output'],
    ['output is a number', { output: 5, step: {}, execution: { input: {} } }],
    ['output is a string', { output: 'abc', step: 'x', execution: 'y' }],
    ['output is null', { output: null, step: null, execution: null }],
    ['output is an array', { output: [1, 2], step: [], execution: { input: [] } }],
    ['cyclic output', { output: cyclicObject(), step: {}, execution: { input: cyclicObject() } }],
    ['cyclic arrays', { output: { a: cyclicArray(), b: cyclicArray() }, step: {}, execution: { input: {} } }],
    ['NaN and Infinity', { output: { a: NaN, b: Infinity }, step: { status: NaN }, execution: { input: { a: -Infinity } } }],
    ['functions and symbols', { output: { a: () => 1, b: Symbol('s') }, step: {}, execution: { input: {} } }],
    ['bigint', { output: { a: 10n, b: 10n }, step: {}, execution: { input: {} } }],
    ['null-prototype object', { output: Object.assign(Object.create(null) as object, { a: 'x' }), step: {}, execution: { input: {} } }],
    ['huge string', { output: { a: 'a'.repeat(200_000), b: '(a+)+$' }, step: {}, execution: { input: {} } }],
    [
      'throwing proxy',
      {
        output: new Proxy(
          {},
          {
            get: () => {
              throw new Error('boom');
            },
            has: () => {
              throw new Error('boom');
            },
            getOwnPropertyDescriptor: () => {
              throw new Error('boom');
            },
            ownKeys: () => {
              throw new Error('boom');
            },
          },
        ),
        step: {},
        execution: { input: {} },
      },
    ],
  ];

  it.each(hostile)('%s', (_name, scope) => {
    expect(() => evaluateWhen(everyOperatorAst, scope as WhenScope)).not.toThrow();
    expect(typeof evaluateWhen(everyOperatorAst, scope as WhenScope)).toBe('boolean');
  });

  it('treats NaN as unequal to itself and never ordered', () => {
    const s = scopeOf({ output: { a: NaN } });
    expect(evaluateWhen(op('eq', v('output.a'), v('output.a')), s)).toBe(false);
    expect(evaluateWhen(op('gte', v('output.a'), v('output.a')), s)).toBe(false);
  });

  it('compares cyclic structures structurally without hanging', () => {
    const s = scopeOf({ output: { a: cyclicObject(), b: cyclicObject(), c: { x: 2 } } });
    expect(evaluateWhen(op('eq', v('output.a'), v('output.b')), s)).toBe(true);
    expect(evaluateWhen(op('eq', v('output.a'), v('output.c')), s)).toBe(false);
    expect(evaluateWhen(op('eq', v('output.a.self.self.self.x'), 1), s)).toBe(true);
  });

  it('does not read through the prototype chain', () => {
    const s = scopeOf({ output: { a: 'x' } });
    expect(evaluateWhen(op('isEmpty', v('output.constructor')), s)).toBe(true);
    expect(evaluateWhen(op('isEmpty', v('output.__proto__')), s)).toBe(true);
    expect(evaluateWhen(op('isEmpty', v('output.a.length')), s)).toBe(true);
    expect(evaluateWhen(op('eq', v('output.toString'), null), s)).toBe(true);
    expect(evaluateWhen(op('eq', v('output.constructor.name'), null), s)).toBe(true);
    expect(evaluateWhen(op('eq', v('output.a.constructor.name'), null), s)).toBe(true);
    expect(evaluateWhen(op('eq', v('output.__proto__'), null), s)).toBe(true);
    const inherited = scopeOf({ output: { o: Object.create({ secret: 'x' }) as object } });
    expect(evaluateWhen(op('eq', v('output.o.secret'), null), inherited)).toBe(true);
  });

  it('treats functions and symbols in data as null', () => {
    const s = scopeOf({ output: { f: () => true, s: Symbol('x') } });
    expect(evaluateWhen(op('isEmpty', v('output.f')), s)).toBe(true);
    expect(evaluateWhen(op('eq', v('output.s'), null), s)).toBe(true);
  });
});

describe('evaluateWhen never throws on hostile ASTs', () => {
  const cyclic: { op: 'not'; args: WhenAst[] } = { op: 'not', args: [] };
  cyclic.args.push(cyclic);

  it.each<[string, unknown, boolean]>([
    ['unknown operator', { op: 'bogus', args: [] }, false],
    ['args not an array', { op: 'not', args: 'x' }, false],
    ['missing args', { op: 'eq' }, false],
    ['missing arguments are null', { op: 'eq', args: [] }, true],
    ['var not a string', { var: 7 }, false],
    ['plain object node', { a: 1 }, false],
    ['undefined', undefined, false],
    ['cyclic AST', cyclic, false],
    ['and with no args', { op: 'and', args: [] }, false],
  ])('%s', (_name, ast, expected) => {
    expect(evaluateWhen(ast as WhenAst, scopeOf())).toBe(expected);
  });
});

describe('properties', () => {
  const leaf = fc.oneof(
    fc.constantFrom<WhenAst>(v('output.a'), v('output.b.c'), v('step.status'), v('execution.input.x'), v('output')),
    fc.oneof(
      fc.string({ maxLength: 5 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    ),
  );
  const ops = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'includes', 'startsWith', 'endsWith'] as const;
  const { tree } = fc.letrec<{ tree: WhenAst }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom(...ops), tie('tree'), tie('tree')).map(([name, a, b]) => op(name, a, b)),
      fc
        .tuple(fc.constantFrom('and', 'or'), fc.array(tie('tree'), { minLength: 2, maxLength: 3 }))
        .map(([name, args]) => op(name, ...args)),
      fc.tuple(fc.constantFrom('not', 'length', 'isEmpty'), tie('tree')).map(([name, a]) => op(name, a)),
      fc.array(tie('tree'), { maxLength: 3 }).map((items) => op('isEmpty', items)),
    ),
  }));
  const data = fc.jsonValue({ maxDepth: 3 });

  it('evaluation is total and deterministic over random ASTs and JSON scopes', () => {
    fc.assert(
      fc.property(tree, data, data, (ast, a, b) => {
        const scope = scopeOf({ output: { a, b: { c: b } }, step: { status: a }, input: { x: b } });
        const first = evaluateWhen(ast, scope);
        expect(typeof first).toBe('boolean');
        expect(evaluateWhen(ast, scope)).toBe(first);
      }),
      { numRuns: 300 },
    );
  });

  it('the canonical form compiles to the same AST', () => {
    fc.assert(
      fc.property(tree, (ast) => {
        const result = compileWhen(JSON.stringify(ast));
        if (!result.ok) return;
        expect(compileOk(result.canonical).ast).toEqual(result.ast);
        expect(compileOk(result.canonical).canonical).toBe(result.canonical);
      }),
      { numRuns: 300 },
    );
  });

  it('neq is always the negation of eq', () => {
    fc.assert(
      fc.property(data, data, (a, b) => {
        const scope = scopeOf({ output: { a, b: { c: b } } });
        expect(evaluateWhen(op('neq', v('output.a'), v('output.b.c')), scope)).toBe(
          !evaluateWhen(op('eq', v('output.a'), v('output.b.c')), scope),
        );
        expect(evaluateWhen(op('eq', v('output.a'), v('output.a')), scope)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('compileWhen never throws on arbitrary text', () => {
    const alphabet = fc.constantFrom(...'output.step.status execution.input ()!=<>&|"\'\\-0123456789 {}[]:,trueflsn'.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: alphabet, maxLength: 60 }), fc.json()), (source) => {
        const result = compileWhen(source);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });
});

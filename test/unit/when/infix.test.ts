import { describe, expect, it } from 'vitest';
import { WHEN_MAX_DEPTH, compileWhen, evaluateWhen, type WhenAst } from '../../../src/core/when';
import { compileMessage, compileOk, op, scopeOf, v } from './helpers';

describe('infix tolerance form: parsing to the canonical AST', () => {
  it.each<[string, WhenAst]>([
    // Examples from the docs.
    ['output.passesBrandCheck == true', op('eq', v('output.passesBrandCheck'), true)],
    ["output.decision == 'reject'", op('eq', v('output.decision'), 'reject')],
    // Every operator symbol.
    ['output.a != 1', op('neq', v('output.a'), 1)],
    ['output.a > 1', op('gt', v('output.a'), 1)],
    ['output.a >= 1', op('gte', v('output.a'), 1)],
    ['output.a < 1', op('lt', v('output.a'), 1)],
    ['output.a <= 1', op('lte', v('output.a'), 1)],
    ['output.a && output.b', op('and', v('output.a'), v('output.b'))],
    ['output.a || output.b', op('or', v('output.a'), v('output.b'))],
    ['!output.a', op('not', v('output.a'))],
    ['!!output.a', op('not', op('not', v('output.a')))],
    // Literals.
    ['output.a == "double"', op('eq', v('output.a'), 'double')],
    ["output.a == 'it\\'s'", op('eq', v('output.a'), "it's")],
    ['output.a == "say \\"hi\\""', op('eq', v('output.a'), 'say "hi"')],
    ['output.a == "tab\\tnl\\nbs\\\\"', op('eq', v('output.a'), 'tab\tnl\nbs\\')],
    ['output.a == "\\u00e9"', op('eq', v('output.a'), 'é')],
    ['output.a == "x\\qy"', op('eq', v('output.a'), 'xqy')],
    ["output.a == ''", op('eq', v('output.a'), '')],
    ['output.a == "a && b || !c"', op('eq', v('output.a'), 'a && b || !c')],
    ['output.a == -1', op('eq', v('output.a'), -1)],
    ['output.a == -0.25', op('eq', v('output.a'), -0.25)],
    ['output.a == 3.75', op('eq', v('output.a'), 3.75)],
    ['output.a == 1e3', op('eq', v('output.a'), 1000)],
    ['output.a>-1', op('gt', v('output.a'), -1)],
    ['output.a == null', op('eq', v('output.a'), null)],
    ['output.a == false', op('eq', v('output.a'), false)],
    ['true', true],
    ['output.flag', v('output.flag')],
    // Paths.
    ['output.passes-brand == true', op('eq', v('output.passes-brand'), true)],
    ['output.snake_case_1 == 1', op('eq', v('output.snake_case_1'), 1)],
    ['output.items.0 == "x"', op('eq', v('output.items.0'), 'x')],
    ['output.true == 1', op('eq', v('output.true'), 1)],
    ['step.status == "breached"', op('eq', v('step.status'), 'breached')],
    ['execution.input.campaign == "Q2 launch"', op('eq', v('execution.input.campaign'), 'Q2 launch')],
    ['output != null', op('neq', v('output'), null)],
    // Flattening and grouping.
    ['output.a && output.b && output.c', op('and', v('output.a'), v('output.b'), v('output.c'))],
    ['output.a || output.b || output.c || output.d', op('or', v('output.a'), v('output.b'), v('output.c'), v('output.d'))],
    ['(output.a && output.b) && output.c', op('and', op('and', v('output.a'), v('output.b')), v('output.c'))],
    ['((output.a))', v('output.a')],
    ['  output.a\n==\t1  ', op('eq', v('output.a'), 1)],
  ])('%s', (source, expected) => {
    const result = compileOk(source);
    expect(result.ast).toEqual(expected);
    expect(result.canonical).toBe(JSON.stringify(expected));
  });
});

describe('infix precedence', () => {
  it.each<[string, WhenAst]>([
    ['output.a || output.b && output.c', op('or', v('output.a'), op('and', v('output.b'), v('output.c')))],
    ['output.a && output.b || output.c', op('or', op('and', v('output.a'), v('output.b')), v('output.c'))],
    ['(output.a || output.b) && output.c', op('and', op('or', v('output.a'), v('output.b')), v('output.c'))],
    ['output.a == 1 && output.b != 2', op('and', op('eq', v('output.a'), 1), op('neq', v('output.b'), 2))],
    [
      'output.a > 1 || output.b <= 2 && output.c',
      op('or', op('gt', v('output.a'), 1), op('and', op('lte', v('output.b'), 2), v('output.c'))),
    ],
    // `!` binds tighter than comparison.
    ['!output.a == true', op('eq', op('not', v('output.a')), true)],
    ['!(output.a == true)', op('not', op('eq', v('output.a'), true))],
    ['!output.a && output.b', op('and', op('not', v('output.a')), v('output.b'))],
    ['output.a == !output.b', op('eq', v('output.a'), op('not', v('output.b')))],
    [
      "output.decision == 'reject' && output.rejectorMandatory == true",
      op('and', op('eq', v('output.decision'), 'reject'), op('eq', v('output.rejectorMandatory'), true)),
    ],
  ])('%s', (source, expected) => {
    expect(compileOk(source).ast).toEqual(expected);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    // true || (false && false) = true; (true || false) && false would be false.
    ['output.t || output.f && output.f', { t: true, f: false }, true],
    ['(output.t || output.f) && output.f', { t: true, f: false }, false],
    // (!false) == true is true; !(false == true) is true as well, so use a case where they differ.
    ['!output.n == false', { n: 1 }, false],
    ['!(output.n == false)', { n: 1 }, true],
  ])('evaluates %s with the expected grouping', (source, output, expected) => {
    expect(evaluateWhen(compileOk(source).ast, scopeOf({ output }))).toBe(expected);
  });
});

describe('infix is equivalent to the canonical form', () => {
  const scopes = [
    { decision: 'reject', rejectorMandatory: true, score: 0.9 },
    { decision: 'reject', rejectorMandatory: false, score: 0.1 },
    { decision: 'approve', rejectorMandatory: true },
    {},
  ].map((output) => scopeOf({ output, step: { status: 'breached' } }));

  it.each<[string, WhenAst]>([
    [
      "output.decision == 'reject' && output.rejectorMandatory == true",
      op('and', op('eq', v('output.decision'), 'reject'), op('eq', v('output.rejectorMandatory'), true)),
    ],
    [
      'output.score >= 0.5 || step.status == "breached"',
      op('or', op('gte', v('output.score'), 0.5), op('eq', v('step.status'), 'breached')),
    ],
    ['!(output.score < 0.5)', op('not', op('lt', v('output.score'), 0.5))],
  ])('%s', (infix, ast) => {
    const fromInfix = compileOk(infix);
    const fromJson = compileOk(JSON.stringify(ast));
    expect(fromInfix.canonical).toBe(fromJson.canonical);
    for (const scope of scopes) expect(evaluateWhen(fromInfix.ast, scope)).toBe(evaluateWhen(fromJson.ast, scope));
    // The canonical string compiles to itself.
    expect(compileOk(fromInfix.canonical).canonical).toBe(fromInfix.canonical);
  });
});

describe('infix errors', () => {
  it.each<[string, string, string]>([
    ['missing right operand', 'output.a ==', 'syntax error at position 12: expected a value, got end of input'],
    ['missing left operand', '== 1', "syntax error at position 1: expected a value, got '=='"],
    ['single =', 'output.a = 1', 'syntax error at position 10: unexpected character "=" (did you mean \'==\'?)'],
    ['triple =', 'output.a === 1', "syntax error at position 10: '===' is not supported, use '=='"],
    ['!==', 'output.a !== 1', "syntax error at position 10: '!==' is not supported, use '!='"],
    ['single &', 'output.a & output.b', 'syntax error at position 10: unexpected character "&" (did you mean \'&&\'?)'],
    ['single |', 'output.a | output.b', 'syntax error at position 10: unexpected character "|" (did you mean \'||\'?)'],
    ['unknown character', 'output.a == 1 + 2', 'syntax error at position 15: unexpected character "+"'],
    ['unclosed paren', '(output.a == 1', "syntax error at position 15: expected ')' to close '(' at position 1, got end of input"],
    ['stray close paren', 'output.a == 1)', "syntax error at position 14: expected an operator or end of input, got ')'"],
    ['two values', 'output.a output.b', "syntax error at position 10: expected an operator or end of input, got 'output.b'"],
    ['function call syntax', 'length(output.a) > 1', "syntax error at position 7: expected an operator or end of input, got '('"],
    ['unterminated string', 'output.a == "abc', 'syntax error at position 13: unterminated string literal'],
    ['unterminated by escape', "output.a == 'abc\\", 'syntax error at position 13: unterminated string literal'],
    ['bad unicode escape', 'output.a == "\\u12"', 'syntax error at position 14: invalid \\u escape'],
    ['trailing dot', 'output. == 1', "syntax error at position 8: expected a field name after '.'"],
    ['double dot', 'output..a == 1', "syntax error at position 8: expected a field name after '.'"],
    ['malformed number', 'output.a == 1.2.3', 'syntax error at position 13: invalid number'],
    ['number glued to letters', 'output.a == 12abc', 'syntax error at position 13: invalid number'],
    ['minus without digits', 'output.a == -x', 'syntax error at position 13: unexpected character "-"'],
    ['chained comparison', 'output.a == output.b == true', 'syntax error at position 22: comparisons cannot be chained'],
    ['dangling &&', 'output.a &&', 'syntax error at position 12: expected a value, got end of input'],
    ['empty parens', '()', "syntax error at position 2: expected a value, got ')'"],
    ['non-ASCII identifier', 'output.café == 1', 'syntax error at position 11: unexpected character "é"'],
    ['number out of range', 'output.a == 1e999', 'syntax error at position 13: number 1e999 is out of range'],
    [
      'nesting too deep (parens)',
      `${'('.repeat(WHEN_MAX_DEPTH + 1)}true${')'.repeat(WHEN_MAX_DEPTH + 1)}`,
      `syntax error at position ${WHEN_MAX_DEPTH + 1}: expression is nested too deeply`,
    ],
    ['nesting too deep (not)', `${'!'.repeat(WHEN_MAX_DEPTH + 1)}true`, 'expression is nested too deeply'],
    ['thousands of parens do not overflow the stack', `${'('.repeat(1900)}true${')'.repeat(1900)}`, 'expression is nested too deeply'],
    // Semantic errors are the same as in the JSON form.
    ['unknown root', 'input.x == 1', 'unknown variable root "input.x" (allowed: output.*, step.*, execution.input.*)'],
    ['unknown step field', 'step.bogus == 1', 'unknown step field "step.bogus"'],
    ['bare identifier', 'approved', 'unknown variable root "approved"'],
  ])('%s', (_name, source, message) => {
    expect(compileMessage(source)).toContain(message);
  });

  it('accepts nesting right at the limit', () => {
    expect(compileWhen(`${'('.repeat(WHEN_MAX_DEPTH)}true${')'.repeat(WHEN_MAX_DEPTH)}`).ok).toBe(true);
  });

  it('reports malformed JSON as JSON, not as infix', () => {
    expect(compileMessage('{"op": "eq", "args": [1, 2]')).toMatch(/^invalid JSON: /);
  });
});

import { describe, expect, it } from 'vitest';
import { WHEN_MAX_DEPTH, WHEN_MAX_LENGTH, compileWhen, type WhenAst } from '../../../src/core/when';
import { compileMessage, compileOk, op, v } from './helpers';

const j = (value: unknown): string => JSON.stringify(value);

const nestNot = (levels: number): WhenAst => {
  let ast: WhenAst = true;
  for (let i = 1; i < levels; i += 1) ast = op('not', ast);
  return ast;
};

describe('compileWhen: accepted canonical forms', () => {
  it.each<[string, WhenAst]>([
    ['approve gate', op('eq', v('output.decision'), 'approve')],
    ['default loop predicate', op('and', op('eq', v('output.decision'), 'reject'), op('eq', v('output.rejectorMandatory'), true))],
    ['breach route', op('eq', v('step.status'), 'breached')],
    ['trigger-context gate', op('eq', v('execution.input.campaign'), 'Q2 launch')],
    ['[G3] regex example', op('regex', v('output.body'), '^urgent')],
    ['scalar true', true],
    ['scalar string', 'x'],
    ['scalar null', null],
    ['scalar number', 1.5],
    ['bare variable', v('output.approved')],
    ['whole output', op('isEmpty', v('output'))],
    ['whole execution.input', op('isEmpty', v('execution.input'))],
    ['step.output nested', op('gt', v('step.output.score.value'), 3)],
    [
      'every step field',
      op(
        'and',
        ...['stepId', 'nodeId', 'nodeType', 'status', 'startedAt', 'completedAt', 'durationMs', 'retryCount', 'iteration'].map((f) =>
          op('isEmpty', v(`step.${f}`)),
        ),
      ),
    ],
    ['array literal arg', op('includes', ['a', ['b', 1], null, true], v('output.x'))],
    ['variables inside an array literal', op('includes', [v('output.a'), v('step.status')], 'x')],
    ['keys that are odd but legal in JSON', op('eq', v('output.a b.c-d.é.0'), 1)],
    ['variable regex pattern', op('regex', v('output.a'), v('execution.input.pattern'))],
    ['computed regex pattern', op('regex', v('output.a'), op('length', 'x'))],
    ['and with many args', op('and', true, true, true, true, true)],
    ['depth exactly at the limit', nestNot(WHEN_MAX_DEPTH)],
  ])('%s', (_name, ast) => {
    const result = compileOk(j(ast));
    expect(result.ast).toEqual(ast);
    expect(result.canonical).toBe(j(ast));
    expect(JSON.parse(result.canonical)).toEqual(ast);
  });

  it('normalises ne to neq, also when nested', () => {
    const result = compileOk(j(op('or', op('ne', 1, 2), op('not', op('ne', v('output.a'), [1])))));
    expect(result.ast).toEqual(op('or', op('neq', 1, 2), op('not', op('neq', v('output.a'), [1]))));
    expect(result.canonical).toBe(j(result.ast));
    expect(result.canonical).not.toContain('"ne"');
  });

  it('canonicalises whitespace and key order', () => {
    const result = compileOk('  {\n "args": [ {"var" : "output.x"}, 1 ],  "op": "eq" }  ');
    expect(result.canonical).toBe('{"op":"eq","args":[{"var":"output.x"},1]}');
  });

  it('accepts a source of exactly the maximum length', () => {
    const prefix = '{"op":"eq","args":[{"var":"output.x"},"';
    const suffix = '"]}';
    const source = prefix + 'a'.repeat(WHEN_MAX_LENGTH - prefix.length - suffix.length) + suffix;
    expect(source).toHaveLength(WHEN_MAX_LENGTH);
    expect(compileWhen(source).ok).toBe(true);
  });
});

describe('compileWhen: rejections', () => {
  it.each<[string, string, string]>([
    // Unknown operators.
    ['unknown operator', j({ op: 'foo', args: [] }), 'unknown operator "foo"'],
    ['operators are case sensitive', j({ op: 'EQ', args: [1, 1] }), 'unknown operator "EQ"'],
    ['prototype names are not operators', j({ op: 'toString', args: [] }), 'unknown operator "toString"'],
    ['symbolic operator in JSON form', j({ op: '==', args: [1, 1] }), 'unknown operator "=="'],
    [
      'nested unknown operator has a location',
      j(op('and', true, { op: 'bogus', args: [] } as never)),
      'unknown operator "bogus" (at args[1])',
    ],
    // Arity.
    ['not with 2 args', j(op('not', true, false)), 'operator "not" takes 1 argument, got 2'],
    ['not with 0 args', j(op('not')), 'operator "not" takes 1 argument, got 0'],
    ['eq with 1 arg', j(op('eq', 1)), 'operator "eq" takes 2 arguments, got 1'],
    ['eq with 3 args', j(op('eq', 1, 1, 1)), 'operator "eq" takes 2 arguments, got 3'],
    ['ne reports its own name', j(op('ne', 1)), 'operator "ne" takes 2 arguments, got 1'],
    ['neq with 3 args', j(op('neq', 1, 2, 3)), 'operator "neq" takes 2 arguments, got 3'],
    ['gt with 1 arg', j(op('gt', 1)), 'operator "gt" takes 2 arguments, got 1'],
    ['gte with 3 args', j(op('gte', 1, 2, 3)), 'operator "gte" takes 2 arguments, got 3'],
    ['lt with 0 args', j(op('lt')), 'operator "lt" takes 2 arguments, got 0'],
    ['lte with 1 arg', j(op('lte', 1)), 'operator "lte" takes 2 arguments, got 1'],
    ['and with 1 arg', j(op('and', true)), 'operator "and" takes at least 2 arguments, got 1'],
    ['or with 0 args', j(op('or')), 'operator "or" takes at least 2 arguments, got 0'],
    ['regex with 1 arg', j(op('regex', 'x')), 'operator "regex" takes 2 arguments, got 1'],
    ['includes with 3 args', j(op('includes', 'x', 'y', 'z')), 'operator "includes" takes 2 arguments, got 3'],
    ['startsWith with 1 arg', j(op('startsWith', 'x')), 'operator "startsWith" takes 2 arguments, got 1'],
    ['endsWith with 3 args', j(op('endsWith', 'x', 'y', 'z')), 'operator "endsWith" takes 2 arguments, got 3'],
    ['length with 2 args', j(op('length', 'x', 'y')), 'operator "length" takes 1 argument, got 2'],
    ['isEmpty with 0 args', j(op('isEmpty')), 'operator "isEmpty" takes 1 argument, got 0'],
    // Roots.
    ['input is not a root', j(v('input.x')), 'unknown variable root "input.x" (allowed: output.*, step.*, execution.input.*)'],
    ['execution without input', j(v('execution.status')), 'unknown variable root "execution.status"'],
    ['bare execution', j(v('execution')), 'unknown variable root "execution"'],
    ['empty path', j(v('')), 'variable path is empty'],
    ['empty segment', j(v('output..x')), 'invalid variable path "output..x": empty segment'],
    ['trailing dot', j(v('output.')), 'invalid variable path "output.": empty segment'],
    ['roots are case sensitive', j(v('Output.x')), 'unknown variable root "Output.x"'],
    ['unknown step field', j(v('step.foo')), 'unknown step field "step.foo" (allowed: step.stepId'],
    ['bare step', j(v('step')), 'variable "step" must name a field'],
    [
      'nested path under a scalar step field',
      j(v('step.status.code')),
      'invalid variable path "step.status.code": step.status has no fields',
    ],
    [
      'root check inside array literal',
      j(op('includes', [v('nope.x')], 1)),
      'unknown variable root "nope.x" (allowed: output.*, step.*, execution.input.*) (at args[0][0])',
    ],
    // Malformed nodes.
    ['extra key on op node', j({ op: 'eq', args: [1, 1], extra: true }), 'malformed node: unexpected key "extra" in an "op" node'],
    ['extra key on var node', j({ var: 'output.x', default: 1 }), 'malformed node: unexpected key "default" in a "var" node'],
    ['op and var together', j({ var: 'output.x', op: 'eq' }), 'malformed node: unexpected key "op" in a "var" node'],
    ['non-string var', j({ var: 1 }), 'malformed node: "var" must be a string, got number'],
    ['array var', j({ var: ['output', 'x'] }), 'malformed node: "var" must be a string, got array'],
    ['non-string op', j({ op: 1, args: [] }), 'malformed node: "op" must be a string, got number'],
    ['args not an array', j({ op: 'not', args: true }), 'malformed node: "args" of operator "not" must be an array, got boolean'],
    ['args missing', j({ op: 'not' }), 'malformed node: "args" of operator "not" must be an array, got undefined'],
    ['args object', j({ op: 'not', args: { 0: true } }), 'must be an array, got object'],
    [
      'object literal arg',
      j(op('eq', v('output.x'), { a: 1 } as never)),
      'malformed node: expected {"op": ..., "args": [...]} or {"var": "..."}, got an object with keys "a" (object literals are not supported) (at args[1])',
    ],
    ['empty object', j({}), 'got an empty object (object literals are not supported)'],
    ['object inside array literal', j(op('includes', [{ a: 1 }] as never, 1)), '(at args[0][0])'],
    ['top-level array', j([true]), 'an array literal is only allowed inside "args"'],
    ['number out of range', '{"op":"gt","args":[{"var":"output.x"},1e999]}', 'number literal is out of range (at args[1])'],
    ['invalid JSON', '{"op":"eq","args":[1,2],}', 'invalid JSON:'],
    ['invalid JSON array', '[1, 2', 'invalid JSON:'],
    // Regex.
    ['unclosed group', j(op('regex', v('output.x'), '(a')), 'invalid regex pattern "(a": missing closing )'],
    ['backreference is not RE2', j(op('regex', v('output.x'), '(a)\\1')), 'invalid regex pattern "(a)\\\\1": invalid escape sequence'],
    ['lookahead is not RE2', j(op('regex', v('output.x'), 'a(?=b)')), 'invalid regex pattern "a(?=b)"'],
    ['bad repetition', j(op('regex', v('output.x'), '*a')), 'invalid regex pattern "*a": missing argument to repetition operator'],
    ['number pattern literal', j(op('regex', v('output.x'), 5)), 'operator "regex" needs a string pattern, got number'],
    ['null pattern literal', j(op('regex', v('output.x'), null)), 'operator "regex" needs a string pattern, got null'],
    ['array pattern literal', j(op('regex', v('output.x'), ['a'])), 'operator "regex" needs a string pattern, got array'],
    ['nested bad regex', j(op('not', op('regex', v('output.x'), '['))), 'invalid regex pattern "[": missing closing ]: `[` (at args[0])'],
    // Size limits.
    ['depth over the limit', j(nestNot(WHEN_MAX_DEPTH + 1)), `expression is nested too deeply (max depth ${WHEN_MAX_DEPTH})`],
    ['deep array literal', j(op('includes', JSON.parse('['.repeat(40) + ']'.repeat(40)) as WhenAst, 1)), 'expression is nested too deeply'],
    [
      'deep JSON of any kind',
      `{"op":"isEmpty","args":[${'['.repeat(1500)}${']'.repeat(1500)}]}`,
      'expression is nested too deeply (max depth 32) (at args[0]',
    ],
    [
      'too long',
      j(op('eq', v('output.x'), 'a'.repeat(WHEN_MAX_LENGTH))),
      `when expression is too long (${WHEN_MAX_LENGTH + 42} characters, max ${WHEN_MAX_LENGTH})`,
    ],
    ['empty', '', 'when expression is empty'],
    ['blank', '  \n\t ', 'when expression is empty'],
  ])('%s', (_name, source, message) => {
    expect(compileMessage(source)).toContain(message);
  });

  it('reports the first semantic error in document order, with its location', () => {
    expect(compileMessage(j(op('and', op('eq', v('input.a'), 1), op('not', 1, 2))))).toMatch(
      /^unknown variable root "input\.a" .* \(at args\[0\]\.args\[0\]\)$/,
    );
  });

  it('reports a malformed node before any semantic error elsewhere', () => {
    expect(compileMessage(j(op('and', op('eq', v('input.a'), 1), { op: 'nope', args: [] } as never)))).toBe(
      'unknown operator "nope" (at args[1])',
    );
  });

  it('rejects a non-string source without throwing', () => {
    expect(compileWhen(42 as unknown as string)).toEqual({ ok: false, message: 'when expression must be a string' });
  });
});

import { describe, expect, it } from 'vitest';
import { testsStepStatus, type WhenAst } from '../../../src/core/when';
import { compileOk, op, v } from './helpers';

describe('testsStepStatus', () => {
  it.each<[string, WhenAst, string, boolean]>([
    ['var first', op('eq', v('step.status'), 'breached'), 'breached', true],
    ['var second', op('eq', 'breached', v('step.status')), 'breached', true],
    ['other status', op('eq', v('step.status'), 'completed'), 'breached', false],
    ['nested in or', op('or', op('eq', v('output.x'), 1), op('eq', v('step.status'), 'breached')), 'breached', true],
    ['nested under not still counts', op('not', op('eq', v('step.status'), 'breached')), 'breached', true],
    ['deeply nested', op('and', true, op('or', false, op('and', true, op('eq', 'breached', v('step.status'))))), 'breached', true],
    ['neq does not count', op('neq', v('step.status'), 'breached'), 'breached', false],
    ['ne does not count', op('ne', v('step.status'), 'breached'), 'breached', false],
    ['another variable', op('eq', v('output.status'), 'breached'), 'breached', false],
    ['step.status on both sides', op('eq', v('step.status'), v('step.status')), 'breached', false],
    ['inside an array literal', op('includes', [op('eq', v('step.status'), 'breached')], true), 'breached', true],
    ['regex on status does not count', op('regex', v('step.status'), 'breached'), 'breached', false],
    ['includes does not count', op('includes', ['breached'], v('step.status')), 'breached', false],
    ['scalar', true, 'breached', false],
    ['bare variable', v('step.status'), 'breached', false],
    ['case sensitive', op('eq', v('step.status'), 'Breached'), 'breached', false],
    ['number literal', op('eq', v('step.status'), 1), '1', false],
  ])('%s', (_name, ast, status, expected) => {
    expect(testsStepStatus(ast, status)).toBe(expected);
  });

  it('works on compiled infix', () => {
    expect(testsStepStatus(compileOk('output.x == 1 || step.status == "breached"').ast, 'breached')).toBe(true);
    expect(testsStepStatus(compileOk("'breached' == step.status").ast, 'breached')).toBe(true);
    expect(testsStepStatus(compileOk('step.status != "breached"').ast, 'breached')).toBe(false);
  });

  it('does not throw on malformed or cyclic trees', () => {
    const cyclic: { op: 'and'; args: WhenAst[] } = { op: 'and', args: [] };
    cyclic.args.push(cyclic, true);
    expect(testsStepStatus(cyclic, 'breached')).toBe(false);
    expect(testsStepStatus({ op: 'eq', args: 'nope' } as unknown as WhenAst, 'breached')).toBe(false);
  });
});

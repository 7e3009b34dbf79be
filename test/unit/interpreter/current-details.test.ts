import { describe, expect, it } from 'vitest';
import { currentDetails, type ExecutionState, type StepState } from '../../../src/core/interpreter';

const human = (nodeId: string, reviewers: string[], answered: string[] = [], extra: Partial<StepState> = {}): StepState =>
  ({
    stepId: `step_${nodeId}`,
    nodeId,
    nodeType: 'human',
    status: 'waiting',
    iteration: 1,
    slaDeadlineAt: null,
    human: {
      reviewers: reviewers.map((userId, index) => ({ userId, mandatory: index === 0 })),
      responses: answered.map((reviewerId) => ({ reviewerId, decision: 'approve', reason: null, at: 0 })),
      unknown: [],
      status: 'pending',
    },
    agent: null,
    ...extra,
  }) as StepState;

const stateWith = (steps: StepState[], status: ExecutionState['status'] = 'running'): ExecutionState =>
  ({ status, steps, failureReason: null }) as unknown as ExecutionState;

describe('currentDetails (the Web UI line of a run)', () => {
  it('names each waiting step with the reviewers that have not answered yet, its iteration and its SLA', () => {
    const details = currentDetails(
      stateWith([
        human('human-legal', ['u_legal', 'u_backup'], ['u_backup'], { iteration: 2, slaDeadlineAt: Date.UTC(2026, 10, 29, 10) }),
        { ...human('agent-draft', []), nodeType: 'agent', status: 'running', human: null, agent: { agentId: 'drafter' } } as StepState,
      ]),
    );
    expect(details).toBe(
      [
        '**Waiting** (1)',
        '- `human-legal` (iteration 2) waits for reviewers u_legal (mandatory), SLA until 2026-11-29T10:00:00.000Z',
        '**Running** (1)',
        '- `agent-draft`: agent drafter',
      ].join('\n'),
    );
  });

  it('stays bounded however many steps and reviewers wait', () => {
    const many = Array.from({ length: 40 }, (_, index) =>
      human(
        `human-${index}`,
        Array.from({ length: 30 }, (__, r) => `u_${r}`),
      ),
    );
    const details = currentDetails(stateWith(many));
    expect(details).toContain('- and 30 more');
    expect(details).toContain('u_4 and 25 more');
    expect(details.split('\n')).toHaveLength(12);
  });

  it('says how the run ended', () => {
    expect(currentDetails(stateWith([], 'completed'))).toBe('**completed**');
    const failed = { ...stateWith([], 'failed'), failureReason: { code: 'agent-failed', message: 'drafter crashed' } };
    expect(currentDetails(failed)).toBe('**failed**: agent-failed: drafter crashed');
  });
});

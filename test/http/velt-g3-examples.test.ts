import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useEngine } from '../support/engine';
import {
  allEvents,
  createDefinition,
  decide,
  dispatch,
  eventTypes,
  expectError,
  freshId,
  ok,
  stepsOf,
  waitForExecution,
  waitForStatus,
  waitForStep,
  type ExecutionWire,
} from '../support/rest-api';

/*
 * Velt's own G3 examples (test/fixtures/velt-g3, where each file names its page), run end to end:
 * create, dispatch, decide, and the outcome the page describes. Assertions stay on the human steps,
 * the routing and the run's outcome, not on how agent steps report progress.
 */

const { admin } = useEngine();

const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/velt-g3');

type Json = Record<string, any>;

/** A fixture with a fresh definitionId (the page's id as its prefix). */
const fixture = (name: string): Json => {
  const definition = JSON.parse(readFileSync(path.join(fixturesDir, `${name}.json`), 'utf8')) as Json;
  return { ...definition, definitionId: freshId(definition.definitionId.slice(0, 24)) };
};

const TRIGGER = { documentUrl: 'https://app.acme.example/docs/123' };

const start = async (definition: Json): Promise<string> => {
  await createDefinition(admin, definition);
  return (await dispatch(admin, { definitionId: definition.definitionId, triggerContext: TRIGGER })).executionId;
};

/** Waits for the open (waiting) step of a human node and records a decision on it. */
const decideOpen = async (executionId: string, nodeId: string, reviewerId: string, decision: 'approve' | 'reject') => {
  const { step } = await waitForStep(admin, executionId, nodeId, 'waiting');
  ok(await decide(admin, executionId, step.stepId, reviewerId, decision));
  return step;
};

const waitingCount = (view: ExecutionWire, nodeId: string): number =>
  view.steps.filter((step) => step.nodeId === nodeId && step.status === 'waiting').length;

const stepIds = (view: ExecutionWire, nodeId: string): string[] => stepsOf(view, nodeId).map((step) => step.stepId);

const SERVER_FIELDS = ['version', 'createdAt', 'updatedAt', 'status', 'compiled'];
const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, inner]) => inner !== null)
      .map(([key, inner]) => [key, withoutNulls(inner)]),
  );
};

describe('setup.mdx: the minimal sign-off', () => {
  it('is accepted as written; the view echoes its edges and shows the compiled graph', async () => {
    const definition = fixture('setup-minimal-signoff');
    const view = await createDefinition(admin, definition);
    expect(view).toMatchObject({ version: 1, status: 'active' });
    expect(JSON.stringify(view.edges)).toBe(JSON.stringify(definition.edges));
    expect(view).not.toHaveProperty('loops');
    expect(view.compiled).toEqual({
      generation: 'g3',
      forwardEdges: [
        {
          from: 'manager-approval',
          to: 'rework-notice',
          role: 'reject',
          when: { op: 'eq', args: [{ var: 'output.decision' }, 'reject'] },
        },
      ],
      loops: [],
    });
  });

  it('approving finishes the run', async () => {
    const executionId = await start(fixture('setup-minimal-signoff'));
    await decideOpen(executionId, 'manager-approval', 'u_manager_01', 'approve');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'rework-notice')).toEqual([]);
  });

  it('rejecting routes to the follow-up step, then the run completes', async () => {
    const executionId = await start(fixture('setup-minimal-signoff'));
    const review = await decideOpen(executionId, 'manager-approval', 'u_manager_01', 'reject');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepIds(done, 'rework-notice')).toEqual([`${review.stepId}__to__rework-notice`]);
    expect(stepsOf(done, 'manager-approval')[0]?.output).toMatchObject({ decision: 'reject' });
  });

  it('get → strip server fields and nulls → update is a no-op (version 2, same edges and compiled graph)', async () => {
    const definition = fixture('setup-minimal-signoff');
    await createDefinition(admin, definition);
    const view = ok(await admin.post('definitions/get', { definitionId: definition.definitionId }));
    const body = withoutNulls(Object.fromEntries(Object.entries(view).filter(([key]) => !SERVER_FIELDS.includes(key)))) as Json;
    const next = ok(await admin.post('definitions/update', { ...body, ifVersion: 1 }));
    expect(next.version).toBe(2);
    expect(JSON.stringify(next.edges)).toBe(JSON.stringify(view.edges));
    expect(next.compiled).toEqual(view.compiled);
    expect(next.nodes).toEqual(view.nodes);
  });
});

describe('setup.mdx: the marketing-copy workflow with the group back-edge', () => {
  it('both reviewers approve: agent-publish runs exactly once and the run completes', async () => {
    const executionId = await start(fixture('setup-marketing-copy'));
    await waitForExecution(admin, executionId, (view) => waitingCount(view, 'human-legal') + waitingCount(view, 'human-brand') === 2);
    await decideOpen(executionId, 'human-legal', 'u_legal_01', 'approve');
    await decideOpen(executionId, 'human-brand', 'u_brand_01', 'approve');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepIds(done, 'agent-publish')).toEqual(['group_parallel-review__to__agent-publish']);
    const types = eventTypes(await allEvents(admin, executionId)).filter((type) => !type.startsWith('step.'));
    expect(types).toEqual(['execution.dispatched', 'group.quorum-met', 'execution.completed']);
  });

  it('a rejection rewinds the stage to agent-draft; approvals on the next iteration publish once', async () => {
    const executionId = await start(fixture('setup-marketing-copy'));
    await decideOpen(executionId, 'human-legal', 'u_legal_01', 'reject');
    const second = await waitForExecution(
      admin,
      executionId,
      (view) => waitingCount(view, 'human-legal') + waitingCount(view, 'human-brand') === 2,
      'the second review round',
    );
    expect(stepsOf(second, 'agent-draft')).toHaveLength(2);
    expect(stepsOf(second, 'human-brand')[0]?.status).toBe('cancelled');
    await decideOpen(executionId, 'human-legal', 'u_legal_01', 'approve');
    await decideOpen(executionId, 'human-brand', 'u_brand_01', 'approve');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepIds(done, 'agent-publish')).toEqual(['group_parallel-review__to__agent-publish__iter_2']);
    const loopEvent = (await allEvents(admin, executionId)).find((event) => event.type === 'loop.iteration-started');
    expect(loopEvent?.data).toMatchObject({ loopId: 'reject_group_parallel-review__to__agent-draft', iteration: 2 });
  });
});

describe('customize-behavior.mdx: reject, loop-back, and exhausted', () => {
  it('three rejections exhaust the loop and run the exhausted route; the run completes', async () => {
    const executionId = await start(fixture('customize-loop-back-exhausted'));
    for (let round = 0; round < 3; round += 1) await decideOpen(executionId, 'human-review', 'u_reviewer_01', 'reject');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepIds(done, 'escalate')).toEqual(['loop_reject_human-review__to__agent-draft__exhausted__to__escalate']);
    expect(stepsOf(done, 'agent-draft')).toHaveLength(3);
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
    const events = await allEvents(admin, executionId);
    expect(events.filter((event) => event.type === 'loop.iteration-started')).toHaveLength(2);
    expect(events.find((event) => event.type === 'loop.exhausted')?.data).toMatchObject({ iteration: 3, lastRejectedBy: 'u_reviewer_01' });
  });

  it('an approval publishes', async () => {
    const executionId = await start(fixture('customize-loop-back-exhausted'));
    await decideOpen(executionId, 'human-review', 'u_reviewer_01', 'approve');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'agent-publish')).toHaveLength(1);
    expect(stepsOf(done, 'escalate')).toEqual([]);
  });
});

describe('customize-behavior.mdx: a custom predicate gates the edge on the source step output', () => {
  const withBrandCheck = (passes: boolean): Json => {
    const definition = fixture('customize-custom-predicate');
    definition.nodes[0].config.inputMapping.mock.output.passesBrandCheck = passes;
    return definition;
  };

  it('passesBrandCheck true: legal-review runs; its approval completes the run', async () => {
    const definition = withBrandCheck(true);
    const view = await createDefinition(admin, definition);
    expect(view.nodes[0]).toMatchObject({ name: 'Brand check', description: 'Verifies copy against brand guidelines.' });
    expect(view.compiled.forwardEdges[0]).toMatchObject({
      role: 'custom',
      when: { op: 'eq', args: [{ var: 'output.passesBrandCheck' }, true] },
    });
    const { executionId } = await dispatch(admin, { definitionId: definition.definitionId, triggerContext: TRIGGER });
    await decideOpen(executionId, 'legal-review', 'u_legal_01', 'approve');
    await waitForStatus(admin, executionId, 'completed');
  });

  it('passesBrandCheck false: no edge fires and the run completes without legal-review', async () => {
    const executionId = await start(withBrandCheck(false));
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'legal-review')).toEqual([]);
    expect(stepsOf(done, 'brand-check')[0]?.output).toMatchObject({ passesBrandCheck: false });
  });
});

describe('patterns.mdx: rejection strategies', () => {
  it('send it back to me: an approval publishes', async () => {
    const executionId = await start(fixture('patterns-send-it-back'));
    await decideOpen(executionId, 'human-boss', 'u_boss', 'approve');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'agent-publish')).toHaveLength(1);
  });

  it('send it back to me: after three rejections the skip-level manager decides', async () => {
    const executionId = await start(fixture('patterns-send-it-back'));
    for (let round = 0; round < 3; round += 1) await decideOpen(executionId, 'human-boss', 'u_boss', 'reject');
    const { step } = await waitForStep(admin, executionId, 'human-skip-level-mgr', 'waiting');
    expect(step.stepId).toBe('loop_reject_human-boss__to__agent-draft__exhausted__to__human-skip-level-mgr');
    ok(await decide(admin, executionId, step.stepId, 'u_skip_level', 'reject'));
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'agent-close')).toHaveLength(1);
  });

  it('send it somewhere else: a rejection hands the work to the rework team', async () => {
    const executionId = await start(fixture('patterns-send-it-somewhere-else'));
    const boss = await decideOpen(executionId, 'human-boss', 'u_boss', 'reject');
    const { step } = await waitForStep(admin, executionId, 'human-rework-team', 'waiting');
    expect(step.stepId).toBe(`${boss.stepId}__to__human-rework-team`);
    ok(await decide(admin, executionId, step.stepId, 'u_rework', 'approve'));
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
  });

  it('rewind the whole stage: any rejection rewinds all three reviewers; the cap escalates to the CCO', async () => {
    const executionId = await start(fixture('patterns-rewind-the-stage'));
    for (let round = 0; round < 3; round += 1) {
      await waitForExecution(admin, executionId, (view) =>
        ['human-legal', 'human-brand', 'human-finance'].every((id) => waitingCount(view, id) === 1),
      );
      await decideOpen(executionId, 'human-finance', 'u_finance', 'reject');
    }
    const { step } = await waitForStep(admin, executionId, 'human-cco', 'waiting');
    expect(step.stepId).toBe('loop_reject_group_compliance-review__to__agent-draft__exhausted__to__human-cco');
    ok(await decide(admin, executionId, step.stepId, 'u_cco', 'approve'));
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
    expect(stepsOf(done, 'human-legal').map((member) => member.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });

  it('rewind the whole stage: all three approve and publish runs once', async () => {
    const executionId = await start(fixture('patterns-rewind-the-stage'));
    for (const [node, user] of [
      ['human-legal', 'u_legal'],
      ['human-brand', 'u_brand'],
      ['human-finance', 'u_finance'],
    ] as const) {
      await decideOpen(executionId, node, user, 'approve');
    }
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepIds(done, 'agent-publish')).toEqual(['group_compliance-review__to__agent-publish']);
  });
});

describe('patterns.mdx: a waitAll group takes one collective path', () => {
  it('one rejection: the reject branch once both ended; the rejecter is completed with decision reject; the run completes', async () => {
    const executionId = await start(fixture('patterns-collective-branch'));
    await decideOpen(executionId, 'human-brand', 'u_brand', 'reject');
    const partial = await waitForExecution(admin, executionId, (view) => waitingCount(view, 'human-legal') === 1);
    expect(stepsOf(partial, 'agent-rework')).toEqual([]);
    await decideOpen(executionId, 'human-legal', 'u_legal', 'approve');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepIds(done, 'agent-rework')).toEqual(['group_parallel-review__to__agent-rework']);
    expect(stepsOf(done, 'agent-publish')).toEqual([]);
    expect(stepsOf(done, 'human-brand')[0]).toMatchObject({ status: 'completed', output: { decision: 'reject' } });
    expect(done.failureReason).toBeNull();
  });

  it('unanimous approval: the approve branch only', async () => {
    const executionId = await start(fixture('patterns-collective-branch'));
    await decideOpen(executionId, 'human-brand', 'u_brand', 'approve');
    await decideOpen(executionId, 'human-legal', 'u_legal', 'approve');
    const done = await waitForStatus(admin, executionId, 'completed');
    expect(stepIds(done, 'agent-publish')).toEqual(['group_parallel-review__to__agent-publish']);
    expect(stepsOf(done, 'agent-rework')).toEqual([]);
  });
});

describe('patterns.mdx: the anti-patterns are refused at create', () => {
  it.each([
    ['one-back-edge-per-reviewer', /^Definition linter failed: \[.*"code":"loop-node-in-multiple-loops"/],
    ['sla-with-only-a-reject-edge', /^Definition linter failed: \[\{"code":"missing-breach-edge"/],
    [
      'final-human-without-reject-edge',
      /^every human node must have at least one outgoing edge with on="reject" \(a forward reject route or a reject back-edge\): human-final-approver$/,
    ],
  ])('%s', async (name, message) => {
    const error = expectError(await admin.post('definitions/create', fixture(`anti-patterns/${name}`)), 'INVALID_ARGUMENT', 400);
    expect(error.message).toMatch(message);
  });
});

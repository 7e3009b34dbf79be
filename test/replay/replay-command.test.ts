import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { walkthroughDefinition } from '../fixtures/definitions';
import { eventually, useEngine } from '../support/engine';
import { createAndDispatch, createDefinition, decide, dispatch, freshId, getExecution, stepOf, waitForStatus } from '../support/rest-api';

const engine = useEngine();
const { admin } = engine;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run replay -- …` as an operator runs it, against the suite's dev server and workflow bundle. */
const replay = (...args: string[]): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(
      tsx,
      ['scripts/replay.ts', '--workflow-bundle', inject('workflowBundlePath'), ...args],
      { cwd: root, env: { ...process.env, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: 'default' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });

/** Visibility is eventually consistent: wait until the query sees the runs before replaying it. */
const waitForVisibility = (query: string, count: number) =>
  eventually(
    () => engine.client.workflow.count(query),
    (result) => result.count >= count,
    20_000,
  );

const approvedWalkthrough = async (): Promise<string> => {
  const executionId = await createAndDispatch(admin, walkthroughDefinition(freshId('replay')));
  const review = stepOf(await getExecution(admin, executionId), 'human-review');
  expect((await decide(admin, executionId, review.stepId, 'u_editor', 'approve')).status).toBe(200);
  await waitForStatus(admin, executionId, 'completed');
  return executionId;
};

describe('npm run replay', () => {
  it('replays a run recorded on today’s code: OK for each run, exit code 0', async () => {
    const executionId = await approvedWalkthrough();
    await waitForVisibility(`ApprovalStartedAt = ${executionId.split('_')[1]}`, 1);

    const { code, stdout, stderr } = await replay('--execution', executionId);

    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`^OK {4}approval-exec/[^ ]+/${executionId} run \\S+$`, 'm'));
    expect(stdout).toMatch(/^1 replayed OK, 0 failed$/m);
    expect(code).toBe(0);
  });

  it('reports the first divergence of a tampered history (event id, expected vs actual) and exits 1', async () => {
    const recorded = JSON.parse(readFileSync(path.join(root, 'test/replay/histories/definition-lifecycle.json'), 'utf8'));
    const tampered = structuredClone(recorded) as { events: Array<Record<string, any>> };
    const event = tampered.events.find((candidate) => candidate.upsertWorkflowSearchAttributesEventAttributes)!;
    delete event.upsertWorkflowSearchAttributesEventAttributes;
    event.eventType = 'EVENT_TYPE_TIMER_STARTED';
    event.timerStartedEventAttributes = {
      timerId: '99',
      startToFireTimeout: '60s',
      workflowTaskCompletedEventId: String(event.eventId - 1),
    };
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'replay-')), 'tampered.json');
    writeFileSync(file, JSON.stringify(tampered));

    const { code, stdout } = await replay('--file', path.join(root, 'test/replay/histories/definition-lifecycle.json'), '--file', file);

    expect(stdout).toMatch(/^OK {4}.*definition-lifecycle\.json run /m);
    expect(stdout).toContain(
      `FAIL  ${file} run ${recorded.events[0].workflowExecutionStartedEventAttributes.originalExecutionRunId}: ` +
        `event ${event.eventId}: history has TimerStarted, the code issued UpsertWorkflowSearchAttributes`,
    );
    expect(stdout).toMatch(/^1 replayed OK, 1 failed$/m);
    expect(code).toBe(1);
  });

  it('replays every run a visibility query matches', async () => {
    const definition = walkthroughDefinition(freshId('replayq'));
    await createDefinition(admin, definition);
    const executionIds: string[] = [];
    for (let run = 0; run < 3; run += 1) executionIds.push((await dispatch(admin, { definitionId: definition.definitionId })).executionId);
    // One of them finished, two still waiting on their reviewer: open runs replay too.
    const review = stepOf(await getExecution(admin, executionIds[0]!), 'human-review');
    await decide(admin, executionIds[0]!, review.stepId, 'u_editor', 'reject');
    await waitForStatus(admin, executionIds[0]!, 'completed');
    const query = `ApprovalKind = 'execution' AND ApprovalDefinitionId = '${definition.definitionId}'`;
    await waitForVisibility(query, 3);

    const { code, stdout } = await replay('--query', query);

    for (const executionId of executionIds) expect(stdout).toMatch(new RegExp(`^OK {4}approval-exec/[^ ]+/${executionId} run `, 'm'));
    expect(stdout).toMatch(/^3 replayed OK, 0 failed$/m);
    expect(code).toBe(0);
  });

  it('fails when a query matches no run or an execution does not exist, and on bad usage', async () => {
    const missing = await replay('--query', `ApprovalDefinitionId = '${freshId('none')}'`, '--execution', 'exec_1777374504255_zzzzzzzz');
    expect(missing.stdout).toMatch(/^FAIL  exec_1777374504255_zzzzzzzz: no such execution/m);
    expect(missing.stdout).toMatch(/^FAIL  ApprovalDefinitionId = .*: the query matched no run$/m);
    expect(missing.code).toBe(1);

    const usage = await replay('--limit', '0', '--file', 'x.json');
    expect(usage.stderr).toMatch(/--limit must be a positive integer/);
    expect(usage.code).toBe(2);
  });
});

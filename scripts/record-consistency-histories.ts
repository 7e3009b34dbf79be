/**
 * Records the replay histories of the rules that do not wait for visibility (docs/behaviour.md,
 * "Definitions"): pins, end reports, a delete that settles and revokes, the catalog, the claim
 * that finds its id revoked, and both workflows continuing as new. Files are named after the
 * commit they were recorded on, so a later recording never overwrites them:
 * `npx tsx scripts/record-consistency-histories.ts`. It starts its own dev server and worker.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createEngineServices } from '../api/services';
import { definitionCatalogWorkflowId } from '../src/contracts/definition-catalog';
import { definitionWorkflowId } from '../src/contracts/definition-messages';
import { dispatchClaimWorkflowId } from '../src/contracts/dispatch-claim';
import { executionWorkflowId, getExecutionQuery, recordReviewerDecisionUpdate } from '../src/contracts/execution-messages';
import { ExecutionClient } from '../src/infra/temporal/execution-client';
import { PROJECT_ROOT } from '../src/infra/tools';
import { createRecordingWorkers, showHistory, startRecordingServer } from './shared/recording-server';
import { reviewDefinition } from './shared/review-definition';

const outDir = path.join(PROJECT_ROOT, 'test/replay/histories');
const taskQueue = 'record-consistency';
const commit = execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();

// As in the test suite: long histories continue as new after 150 events.
const server = await startRecordingServer(['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=150']);
const { env } = server;

const save = (workflowId: string, name: string, runId?: string): void => {
  const { json, events } = showHistory(server, workflowId, runId);
  writeFileSync(path.join(outDir, `${commit}-${name}.json`), json);
  console.log(`recorded ${commit}-${name} (${events} events)`);
};

/** The run a continued run came from (its started event says so). */
const previousRun = async (workflowId: string): Promise<string> => {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
  if (!previous) throw new Error(`${workflowId} has not continued as new`);
  return previous;
};

try {
  const worker = await createRecordingWorkers(server, taskQueue);
  await worker.runUntil(async () => {
    const services = createEngineServices(env.client, taskQueue, { secretsKey: undefined, allowPrivateWebhookTargets: true });
    const { definitions, dispatcher } = services;
    const workspace = 'ws_record';
    const execution = (executionId: string) => env.client.workflow.getHandle(executionWorkflowId(workspace, executionId));
    const approve = async (executionId: string): Promise<void> => {
      const handle = execution(executionId);
      const view = await handle.query(getExecutionQuery);
      const stepId = view.steps[0]!.stepId;
      await handle.executeUpdate(recordReviewerDecisionUpdate, { args: [{ stepId, reviewerId: 'u1', decision: 'approve' }] });
      await handle.result();
    };

    // A definition's pins, end reports, a refused delete, then one that settles and revokes.
    await definitions.create(workspace, reviewDefinition('pins', 'v1'));
    await definitions.update(workspace, 'pins', { ifVersion: 1, content: reviewDefinition('pins', 'v2') });
    const first = await dispatcher.dispatch(workspace, { definitionId: 'pins' });
    const keyed = await dispatcher.dispatch(workspace, { definitionId: 'pins', idempotencyKey: 'record-keyed' });
    await definitions.pin(workspace, 'pins', { executionId: 'exec_1700000000000_stalepin' });
    await definitions.delete(workspace, 'pins', {}).catch(() => undefined);
    await approve(first.executionId);
    save(executionWorkflowId(workspace, first.executionId), 'execution-reports-end');
    save(dispatchClaimWorkflowId(workspace, 'record-keyed'), 'dispatch-claim-revocable-start');
    await execution(keyed.executionId).terminate('recorded: never reports its end');
    await definitions.delete(workspace, 'pins', {});
    save(executionWorkflowId(workspace, 'exec_1700000000000_stalepin'), 'revoked-execution');
    await definitions.create(workspace, reviewDefinition('pins', 'recreated'));
    // The catalog is gone (an operator ended it): the next write starts a new one, and the next
    // list has the definitions announce themselves to it.
    await env.client.workflow.getHandle(definitionCatalogWorkflowId(workspace)).terminate('recorded: catalog lost');
    await definitions.update(workspace, 'pins', { ifVersion: 1, content: reviewDefinition('pins', 'recreated v2') });
    await definitions.list(workspace, { pageSize: 10 });
    save(definitionWorkflowId(workspace, 'pins'), 'definition-pins-delete-revoke');
    save(definitionCatalogWorkflowId(workspace), 'definition-catalog-seeded');

    // A run whose definition workflow does not exist reports into the void and completes.
    const orphan = await new ExecutionClient(env.client, taskQueue).start({
      workspaceId: workspace,
      definition: (await definitions.get(workspace, 'pins'))!,
      triggerContext: {},
      folderId: null,
      webhook: null,
    });
    await env.client.workflow.getHandle(definitionWorkflowId(workspace, 'pins')).terminate('recorded: definition lost');
    await approve(orphan.executionId);
    save(executionWorkflowId(workspace, orphan.executionId), 'execution-reports-end-to-missing-definition');

    // A keyed dispatch that stalled between its pin and its claim: the delete revokes the id.
    await definitions.create(workspace, reviewDefinition('stalled', 'v1'));
    const executions = new ExecutionClient(env.client, taskQueue);
    const stalled = executions.newExecutionId();
    const stalledDefinition = await definitions.pin(workspace, 'stalled', { executionId: stalled.executionId });
    await definitions.delete(workspace, 'stalled', {});
    await executions
      .start(
        {
          workspaceId: workspace,
          definition: stalledDefinition,
          triggerContext: {},
          folderId: null,
          webhook: null,
          idempotencyKey: 'record-stalled',
        },
        { ...stalled, release: () => definitions.release(workspace, 'stalled', stalled.executionId) },
      )
      .catch(() => undefined);
    save(dispatchClaimWorkflowId(workspace, 'record-stalled'), 'dispatch-claim-revoked');

    // A busy definition continues as new with its in-flight executions.
    await definitions.create(workspace, reviewDefinition('busy', 'v1'));
    const busy = definitionWorkflowId(workspace, 'busy');
    for (let index = 0; index < 30; index += 1) {
      await dispatcher.dispatch(workspace, { definitionId: 'busy', ...(index % 3 === 0 ? { idempotencyKey: `busy-${index}` } : {}) });
    }
    save(busy, 'definition-continue-as-new-first-run', await previousRun(busy));
    save(busy, 'definition-continue-as-new-second-run');

    // A catalog continues as new with its entries.
    const catalogWorkspace = 'ws_record_catalog';
    for (let index = 0; index < 45; index += 1) {
      await definitions.create(catalogWorkspace, reviewDefinition(`entry-${index}`, 'v1'));
      if (index % 2 === 1) await definitions.delete(catalogWorkspace, `entry-${index}`, {});
    }
    const catalog = definitionCatalogWorkflowId(catalogWorkspace);
    save(catalog, 'definition-catalog-continue-as-new-first-run', await previousRun(catalog));
    save(catalog, 'definition-catalog-continue-as-new-second-run');
  });
} finally {
  await env.teardown();
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { executionWorkflowId } from '../../src/contracts/execution-messages';
import { draftThenReviewDefinition } from '../fixtures/execution-definitions';
import { eventually, useEngine } from '../support/engine';
import { startReceiver, type TestReceiver } from '../support/receiver';
import { allEvents, createDefinition, decide, dispatch, freshId, waitForStep } from '../support/rest-api';

/*
 * What an operator sees of a run in the Temporal Web UI (docs/operations.md, "Reading a run in the
 * Temporal Web UI"): the static summary and details of the start, the current details the workflow
 * keeps, and a summary on every activity.
 */
const engine = useEngine();
const { admin } = engine;
let receiver: TestReceiver;

beforeAll(async () => {
  receiver = await startReceiver(() => 204);
});
afterAll(async () => {
  await receiver?.close();
});

const handleOf = (executionId: string) => engine.client.workflow.getHandle(executionWorkflowId(engine.workspaceIdA, executionId));

/** Temporal's built-in metadata query: what the Web UI shows as "current details". */
const currentDetails = async (executionId: string): Promise<string> =>
  (await handleOf(executionId).query<{ currentDetails?: string }>('__temporal_workflow_metadata')).currentDetails ?? '';

/** Summaries go through the payload codec like any payload (encrypted on an encrypting engine). */
const summaryOf = async (metadata: temporal.api.sdk.v1.IUserMetadata | null | undefined): Promise<string | undefined> => {
  if (!metadata?.summary) return undefined;
  let payloads = [metadata.summary];
  for (const codec of [...(engine.dataConverter.payloadCodecs ?? [])].reverse()) payloads = await codec.decode(payloads);
  return defaultPayloadConverter.fromPayload<string>(payloads[0]!);
};

describe('the Temporal Web UI explains a run', () => {
  it('shows definition, version and correlation id as the summary, the dispatch as details', async () => {
    const definitionId = freshId('webui');
    await createDefinition(admin, draftThenReviewDefinition(definitionId));
    const plain = await dispatch(admin, { definitionId, correlationId: 'corr_webui_1' });
    const keyed = await dispatch(admin, { definitionId, correlationId: 'corr_webui_2', idempotencyKey: freshId('key') });

    const described = await handleOf(plain.executionId).describe();
    expect(await described.staticSummary()).toBe(`${definitionId} v1 · corr_webui_1`);
    const details = await described.staticDetails();
    expect(details).toContain(`**Execution** \`${plain.executionId}\` in workspace \`${engine.workspaceIdA}\``);
    expect(details).toContain(`**Definition** \`${definitionId}\` version 1: \`Draft then review\``);
    expect(details).toContain('**Correlation id** `corr_webui_1`');

    // A dispatch with an idempotency key is started by its claim workflow: same summary.
    expect(await (await handleOf(keyed.executionId).describe()).staticSummary()).toBe(`${definitionId} v1 · corr_webui_2`);
  });

  it('keeps current details naming the waiting steps and their reviewers, and the outcome at the end', async () => {
    const definitionId = freshId('webui');
    await createDefinition(admin, draftThenReviewDefinition(definitionId));
    const { executionId } = await dispatch(admin, { definitionId });
    await waitForStep(admin, executionId, 'human-review', 'waiting');

    const waiting = await eventually(
      () => currentDetails(executionId),
      (details) => details.includes('human-review'),
    );
    expect(waiting).toContain('**Waiting** (2)');
    expect(waiting).toContain('- `human-review` waits for reviewers u_editor (mandatory)');
    expect(waiting).toContain('- `human-hold` waits for reviewers u_hold (mandatory)');

    const { step: hold } = await waitForStep(admin, executionId, 'human-hold', 'waiting');
    expect((await decide(admin, executionId, hold.stepId, 'u_hold', 'approve')).status).toBe(200);
    const oneLeft = await currentDetails(executionId);
    expect(oneLeft).toContain('**Waiting** (1)');
    expect(oneLeft).not.toContain('human-hold');

    expect((await admin.post('executions/cancel', { executionId })).status).toBe(200);
    await eventually(
      () => currentDetails(executionId),
      (details) => details === '**cancelled**',
    );
    expect(await currentDetails(executionId)).toBe('**cancelled**');
  });

  it('names the node or the event on every activity it schedules', async () => {
    const definitionId = freshId('webui');
    await createDefinition(admin, draftThenReviewDefinition(definitionId));
    const { executionId } = await dispatch(admin, { definitionId, webhookUrl: receiver.url, webhookSecret: 'whsec_webui_0123456789' });
    await waitForStep(admin, executionId, 'human-review', 'waiting');
    const completed = await eventually(
      () => allEvents(admin, executionId),
      (events) => events.some((event) => event.type === 'step.completed'),
    );
    const draftDone = completed.find((event) => event.type === 'step.completed')!;

    const summaries = await eventually(
      async () =>
        Promise.all(
          ((await handleOf(executionId).fetchHistory()).events ?? [])
            .filter((event) => event.activityTaskScheduledEventAttributes)
            .map((event) => summaryOf(event.userMetadata)),
        ),
      (found) => found.includes(`webhook delivery step.completed #${draftDone.seq}`),
    );
    expect(summaries).toContain('agent agent-draft');
    expect(summaries).toContain('webhook delivery execution.dispatched #1');
    expect(summaries).toContain(`webhook delivery step.completed #${draftDone.seq}`);
    expect(summaries.every((summary) => summary !== undefined)).toBe(true);

    await admin.post('executions/cancel', { executionId });
  });
});

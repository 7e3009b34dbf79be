import { condition, getExternalWorkflowHandle, patched } from '@temporalio/workflow';
import { definitionWorkflowId, executionEndedSignal } from '../../src/contracts/definition-messages';
import type { ExecutionWorkflowInput } from '../../src/contracts/execution-messages';

// Runs recorded before this never told their definition that they ended.
const END_REPORT_PATCH = 'report-end-to-definition';

/**
 * Once the run has finished (a terminal status, even while webhook deliveries still settle), it
 * tells its definition, which stops counting it against a delete (docs/behaviour.md,
 * "Definitions"). The promise settles when the signal is recorded, or at once if the definition
 * workflow is gone; the run awaits it before it completes. A run that continues as new first
 * leaves it pending, and its next run reports instead.
 */
export const reportEndToDefinition = (input: ExecutionWorkflowInput, finished: () => boolean): Promise<void> =>
  condition(finished).then(async () => {
    if (!patched(END_REPORT_PATCH)) return;
    const definition = getExternalWorkflowHandle(definitionWorkflowId(input.workspaceId, input.definition.definitionId));
    // A lost report costs nothing lasting: a delete asks the execution's workflow itself.
    await definition.signal(executionEndedSignal, { executionId: input.executionId }).catch(() => undefined);
  });

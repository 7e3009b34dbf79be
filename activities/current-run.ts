import { Context } from '@temporalio/activity';
import { getExecutionQuery, parseExecutionWorkflowId } from '../src/contracts/execution-messages';
import type { ReadSteps, RunAddress } from '../src/webhooks/delivery/reviewer-link-data';

/** The execution an activity runs for (from its workflow id), and a reader of its steps (a query through the worker's client). */
export const currentRun = (): { address: RunAddress; readSteps: ReadSteps } => {
  const context = Context.current();
  const workflowId = context.info.workflowExecution?.workflowId ?? '(none)';
  const address = parseExecutionWorkflowId(workflowId);
  if (!address) throw new Error(`activity of a workflow that is not an execution: ${workflowId}`);
  const readSteps: ReadSteps = async () => (await context.client.workflow.getHandle(workflowId).query(getExecutionQuery)).steps;
  return { address, readSteps };
};

import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ExecutionEvidence } from '../../contracts/definition-messages';
import { executionWorkflowId, getExecutionQuery } from '../../contracts/execution-messages';
import { isTerminalExecution } from '../../core/interpreter';
import { and, quote } from './visibility-query';

/** How many pinned executions one delete examines, oldest first; a later delete goes on from there. */
export const EXAMINED_PER_DELETE = 256;
const CONCURRENCY = 8;

type Finding = ExecutionEvidence['seen'] | 'running';

/**
 * Asks an execution's own workflow whether it still runs: describe and query are strongly
 * consistent, unlike visibility. A run that has reached a terminal status has ended even while its
 * workflow stays open for the last webhook deliveries. A run that cannot answer counts as running.
 */
export const examineExecution = async (client: Client, workspaceId: string, executionId: string): Promise<Finding> => {
  const handle = client.workflow.getHandle(executionWorkflowId(workspaceId, executionId));
  try {
    const description = await handle.describe();
    if (description.status.name !== 'RUNNING') return 'ended';
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return 'absent';
    throw error;
  }
  try {
    return isTerminalExecution((await handle.query(getExecutionQuery)).status) ? 'ended' : 'running';
  } catch {
    return 'running';
  }
};

/**
 * What a delete tells the definition workflow about its pinned executions (oldest first). It stops
 * after the first batch that finds one still running: the delete is refused then anyway.
 */
export const gatherEvidence = async (
  client: Client,
  workspaceId: string,
  executionIds: readonly string[],
): Promise<{ evidence: ExecutionEvidence[]; running: boolean }> => {
  const evidence: ExecutionEvidence[] = [];
  for (let start = 0; start < executionIds.length; start += CONCURRENCY) {
    const batch = executionIds.slice(start, start + CONCURRENCY);
    const findings = await Promise.all(batch.map((executionId) => examineExecution(client, workspaceId, executionId)));
    batch.forEach((executionId, index) => {
      const seen = findings[index];
      if (seen === 'ended' || seen === 'absent') evidence.push({ executionId, seen });
    });
    if (findings.includes('running')) return { evidence, running: true };
  }
  return { evidence, running: false };
};

const LEGACY_EXAMINED = 32;

/**
 * Runs of the definition that it never pinned: those dispatched before definitions tracked their
 * executions. Visibility only proposes candidates; each is asked itself, so a lagging index can
 * neither refuse a delete nor let one through on its own.
 */
export const unpinnedRunning = async (
  client: Client,
  workspaceId: string,
  definitionId: string,
  pinned: ReadonlySet<string>,
): Promise<number> => {
  const prefix = executionWorkflowId(workspaceId, '');
  const query = and(
    `ApprovalKind = 'execution'`,
    `ApprovalWorkspace = ${quote(workspaceId)}`,
    `ApprovalDefinitionId = ${quote(definitionId)}`,
    `ExecutionStatus = 'Running'`,
  );
  const candidates: string[] = [];
  for await (const execution of client.workflow.list({ query })) {
    const executionId = execution.workflowId.slice(prefix.length);
    if (!pinned.has(executionId)) candidates.push(executionId);
    if (candidates.length >= LEGACY_EXAMINED) break;
  }
  const findings = await Promise.all(candidates.map((executionId) => examineExecution(client, workspaceId, executionId)));
  return findings.filter((finding) => finding === 'running').length;
};

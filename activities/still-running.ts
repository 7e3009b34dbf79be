import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';

const BATCH = 50;

/** Which of these workflows are still running (the workspace limiter's periodic check). */
export const stillRunning = async (workflowIds: string[]): Promise<string[]> => {
  const { client } = Context.current();
  const alive: string[] = [];
  for (let start = 0; start < workflowIds.length; start += BATCH) {
    const batch = workflowIds.slice(start, start + BATCH);
    const statuses = await Promise.all(
      batch.map((workflowId) =>
        client.workflow
          .getHandle(workflowId)
          .describe()
          .then(
            (description) => description.status.name === 'RUNNING',
            (error: unknown) => {
              if (error instanceof WorkflowNotFoundError) return false;
              throw error;
            },
          ),
      ),
    );
    batch.forEach((workflowId, index) => {
      if (statuses[index]) alive.push(workflowId);
    });
  }
  return alive;
};

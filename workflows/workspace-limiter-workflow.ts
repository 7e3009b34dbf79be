import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { EngineActivities } from '../activities';
import {
  admitExecutionUpdate,
  admitExecutionsUpdate,
  agentSlotGrantedSignal,
  executionEndedSignal,
  limiterStateQuery,
  releaseAgentSlotSignal,
  requestAgentSlotSignal,
  type AgentSlot,
  type AdmitOutcome,
  type LimiterInput,
  MAX_ADMISSIONS_PER_UPDATE,
} from '../src/contracts/workspace-limits';
import { EngineError } from '../src/core/errors';
import { LimiterBook } from '../src/core/limits/limiter-book';
import { setUpdateHandler } from './update-handler';

/** How often a limiter that holds anything checks its holders against Temporal. */
const RECONCILE_EVERY_MS = 5 * 60_000;
/** An admission younger than this may not have started its execution yet; it is not checked. */
const ADMISSION_GRACE_MS = 2 * 60_000;
/** Executions one periodic check asks about at the most (one activity's input stays small). */
const MAX_CHECKS_PER_ROUND = 1_000;
const CHECK_SEEN_ONCE_PATCH = 'limiter-checks-seen-runs-once';

const { stillRunning } = proxyActivities<EngineActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 3 } });

/**
 * The limiter of one workspace (docs/behaviour.md, "Workspace limits"): admits executions up to the
 * running-executions limit (an Update the API sends with the dispatch) and hands agent slots out
 * first come, first served (signals both ways). Executions tell it when they end; a slot or an
 * admission whose execution ended without telling (terminated, or an API that died between admission
 * and start) is found by a periodic check against Temporal, so nothing leaks for good.
 */
export async function workspaceLimiterWorkflow(input: LimiterInput): Promise<void> {
  const book = input.carried ? new LimiterBook(input.carried) : LimiterBook.empty(input.limits);
  let grantsInFlight = 0;

  const grant = (slots: AgentSlot[]): void => {
    for (const slot of slots) {
      grantsInFlight += 1;
      getExternalWorkflowHandle(slot.workflowId)
        .signal(agentSlotGrantedSignal, { stepId: slot.stepId })
        // The execution is gone: whatever it held is free again.
        .catch(() => grant(book.ended(slot.workflowId)))
        .finally(() => {
          grantsInFlight -= 1;
        });
    }
  };

  setUpdateHandler(
    admitExecutionUpdate,
    (request) => {
      grant(book.admit(request.workflowId, request.limits, Date.now()));
      return { running: book.runningCount };
    },
    (request) => {
      const problem = book.admissionProblem(request.workflowId);
      if (problem) throw problem;
    },
  );
  setUpdateHandler(
    admitExecutionsUpdate,
    ({ requests }) => {
      const outcomes = requests.map((request): AdmitOutcome => {
        const problem = book.admissionProblem(request.workflowId);
        if (problem) return { admitted: false, error: { status: 'RESOURCE_EXHAUSTED', message: problem.message } };
        grant(book.admit(request.workflowId, request.limits, Date.now()));
        return { admitted: true };
      });
      return { outcomes, running: book.runningCount };
    },
    ({ requests }) => {
      if (requests.length === 0 || requests.length > MAX_ADMISSIONS_PER_UPDATE) {
        throw new EngineError(
          'INVALID_ARGUMENT',
          `an admission batch holds 1 to ${MAX_ADMISSIONS_PER_UPDATE} executions, not ${requests.length}`,
        );
      }
      const problems = requests.map((request) => book.admissionProblem(request.workflowId));
      if (problems.every((problem) => problem !== null)) throw problems[0]!;
    },
  );
  setHandler(executionEndedSignal, ({ workflowId }) => grant(book.ended(workflowId)));
  setHandler(requestAgentSlotSignal, (slot) => grant(book.request(slot)));
  setHandler(releaseAgentSlotSignal, (slot) => grant(book.release(slot)));
  setHandler(limiterStateQuery, () => book.snapshot());

  const reconcile = async (): Promise<void> => {
    // Earlier runs asked about every admission every time: 10,000 parked runs were 10,000 describe calls each round.
    const checksSeen = patched(CHECK_SEEN_ONCE_PATCH);
    const before = Date.now() - ADMISSION_GRACE_MS;
    const candidates = checksSeen ? book.toCheck(before, MAX_CHECKS_PER_ROUND) : book.admittedBefore(before);
    if (candidates.length === 0) return;
    const alive = new Set(await stillRunning(candidates));
    for (const workflowId of candidates) if (!alive.has(workflowId)) grant(book.ended(workflowId));
    if (checksSeen) book.seenRunning(alive);
  };

  while (!workflowInfo().continueAsNewSuggested) {
    await condition(() => !book.idle || workflowInfo().continueAsNewSuggested);
    if (workflowInfo().continueAsNewSuggested) break;
    // Sleeps only while something is held, so an idle workspace's limiter writes nothing.
    if (await condition(() => book.idle || workflowInfo().continueAsNewSuggested, RECONCILE_EVERY_MS)) continue;
    await reconcile();
  }
  await condition(() => grantsInFlight === 0 && allHandlersFinished());
  await continueAsNew<typeof workspaceLimiterWorkflow>({
    workspaceId: input.workspaceId,
    limits: book.snapshot().limits,
    carried: book.snapshot(),
  });
}

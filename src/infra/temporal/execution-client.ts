import { randomInt } from 'node:crypto';
import {
  QueryNotRegisteredError,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { SearchAttributePair, UpdateDefinition } from '@temporalio/common';
import { dispatchClaimWorkflowId, type DispatchClaimResult } from '../../contracts/dispatch-claim';
import {
  cancelExecutionUpdate,
  executionWorkflowId,
  getEventsQuery,
  getExecutionQuery,
  getWorkItemQuery,
  idempotencySuppressedSignal,
  MAX_RECORDED_REPEATS,
  repeatAnswerQuery,
  webhookCallbackKeyQuery,
  type EventsPage,
  type ExecutionView,
  type ExecutionWorkflowInput,
  type WorkItemView,
} from '../../contracts/execution-messages';
import { SA } from '../../contracts/search-attributes';
import {
  admitExecutionsUpdate,
  executionEndedSignal,
  MAX_ADMISSIONS_PER_UPDATE,
  type AdmitExecutionRequest,
  type AdmitOutcome,
  workspaceLimiterWorkflowId,
  type LimiterInput,
  type WorkspaceLimits,
} from '../../contracts/workspace-limits';
import type { ActivityTaskQueues } from '../workspace-limits-config';
import { EngineError, executionNotFound, failedPrecondition } from '../../core/errors';
import { cancelExecutionReply, endedRunRefusal, type CancelExecutionReply } from '../../core/interpreter';
import { newExecutionId, randomAlnum } from '../../core/ids';
import type { ListExecutionsRequest } from '../../core/requests/execution-requests';
import { isStorableText } from '../../core/requests/common';
import { decodeCursor, encodeCursor, invalidCursor } from './execution-cursor';
import { executionUserMetadata } from './execution-metadata';
import { isAbortedUpdate, newUpdateId, retryAbortedUpdate } from './aborted-update';
import { withNotFound } from './not-found';
import { GroupCommit } from './group-commit';
import { WorkerWait } from './worker-wait';
import { and, quote } from './visibility-query';

/** About 15 s of retries before a dispatch of a workspace whose limiter stays saturated is refused. */
const ADMIT_ATTEMPTS = 20;
const GRPC_RESOURCE_EXHAUSTED = 8;
const GRPC_FAILED_PRECONDITION = 9;

/** The limiter's Update could not be taken now (too many in flight): gRPC-level, not our refusal. */
const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === GRPC_RESOURCE_EXHAUSTED || code === GRPC_FAILED_PRECONDITION;
};

const busyAsExhausted = (error: unknown): unknown =>
  isBusy(error)
    ? new EngineError('RESOURCE_EXHAUSTED', 'workspace limit reached: too many dispatches at once for this workspace; retry with backoff')
    : error;

const cryptoRandom = (): number => randomInt(0, 2 ** 32) / 2 ** 32;
const GRPC_UNKNOWN = 2;
const GRPC_INVALID_ARGUMENT = 3;

/** An Update met a run that had just closed while a newer run of the workflow is open (it continued as new). */
class RunContinued extends EngineError {
  constructor(executionId: string) {
    super('UNAVAILABLE', `execution ${executionId} was continuing as new; retry`);
  }
}

const hasGrpcCode = (error: unknown, code: number): boolean => {
  for (let current: unknown = error, depth = 0; current && depth < 6; depth += 1) {
    if ((current as { code?: unknown }).code === code) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
};
/** Temporal turned the request down (e.g. a payload over its blob size limit): nothing was started. */
const isRefusedRequest = (error: unknown): boolean => hasGrpcCode(error, GRPC_INVALID_ARGUMENT);
const isUnknownFailure = (error: unknown): boolean => hasGrpcCode(error, GRPC_UNKNOWN);

export interface DispatchResult {
  executionId: string;
  correlationId: string;
  deduplicated: boolean;
}

export type PreparedExecution = Omit<
  ExecutionWorkflowInput,
  'executionId' | 'correlationId' | 'idempotencyKey' | 'dispatchedAt' | 'indexed'
> & {
  correlationId?: string | undefined;
  idempotencyKey?: string | undefined;
};

export interface ExecutionClientOptions {
  indexed: boolean;
  /**
   * Per-workspace limits (docs/behaviour.md, "Workspace limits"): every run is admitted by its
   * workspace's limiter first, and runs its agents and webhook deliveries on their own task queues.
   */
  tenancy?:
    | {
        limits: WorkspaceLimits;
        activityQueues: ActivityTaskQueues;
        /** Where limiters start, and how long to wait for their worker; default: the runs' queue and wait. */
        limiter?: { taskQueue: string; wait: WorkerWait } | undefined;
      }
    | undefined;
}

/** An execution id its definition has pinned (src/infra/temporal/dispatcher.ts), and how to let the pin go. */
export interface PinnedDispatch {
  executionId: string;
  dispatchedAt: number;
  /** The execution's start was refused for good: it will never run. */
  release: () => Promise<void>;
  /** The dispatcher has already taken the run's place under the workspace limit (`admit`). */
  admitted?: boolean;
}

export interface ExecutionPage {
  items: ExecutionView[];
  nextCursor: string | null;
  hasMore: boolean;
}

/**
 * The API's client of the execution workflows (one per run): starts them (through an idempotency
 * claim when the dispatch has a key), sends their Updates, reads their queries, lists visibility.
 */
export class ExecutionClient {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly options: ExecutionClientOptions = { indexed: true },
    private readonly wait: WorkerWait = new WorkerWait(client, taskQueue),
  ) {}

  /** A new execution id and the dispatch time it carries. */
  newExecutionId(): { executionId: string; dispatchedAt: number } {
    const dispatchedAt = Date.now();
    return { executionId: newExecutionId(dispatchedAt, cryptoRandom), dispatchedAt };
  }

  /**
   * Starts the run of a dispatch: ids filled in, at most one run per idempotency key. A `pinned`
   * dispatch runs under the id its definition pinned, so that a delete knew of the run before it
   * existed (docs/behaviour.md, "Definitions"); an id a delete revoked meanwhile cannot be started
   * any more, and the dispatch answers FAILED_PRECONDITION.
   */
  async start(prepared: PreparedExecution, pinned?: PinnedDispatch): Promise<DispatchResult> {
    const { executionId, dispatchedAt } = pinned ?? this.newExecutionId();
    const { definition } = prepared;
    const input: ExecutionWorkflowInput = {
      ...prepared,
      executionId,
      dispatchedAt,
      correlationId: prepared.correlationId ?? `corr_${randomAlnum(16, cryptoRandom)}`,
      idempotencyKey: prepared.idempotencyKey ?? `auto_${executionId}`,
      indexed: this.options.indexed,
      ...(this.options.tenancy
        ? { activityQueues: this.options.tenancy.activityQueues, limiterWorkflowId: workspaceLimiterWorkflowId(prepared.workspaceId) }
        : {}),
    };
    const workflowId = executionWorkflowId(prepared.workspaceId, executionId);
    const claimId =
      prepared.idempotencyKey === undefined ? undefined : dispatchClaimWorkflowId(prepared.workspaceId, prepared.idempotencyKey);
    const revokedKey = (): EngineError =>
      failedPrecondition(
        `idempotencyKey ${prepared.idempotencyKey} belongs to a dispatch that was revoked before its run started (a concurrent delete of its definition); dispatch with another key`,
      );
    // A repeat of an admitted dispatch is answered without a place under the limit (retries stay safe when the workspace is full).
    if (claimId !== undefined && this.options.tenancy && !pinned) {
      const repeat = await this.repeatOf(prepared.workspaceId, prepared.idempotencyKey!, dispatchedAt);
      if (repeat) return repeat;
    }
    try {
      if (!pinned?.admitted) await this.admitWorkflow(prepared.workspaceId, workflowId);
    } catch (error) {
      // Refused under the limit: this execution id will never start.
      await pinned?.release().catch(() => undefined);
      throw error;
    }
    const searchAttributes = this.searchAttributes(input);
    const userMetadata = executionUserMetadata(input);
    /** The start was refused for good: the pinned execution will never run, and its admission is given back. */
    const refused = async (error: unknown): Promise<never> => {
      if (isRefusedRequest(error)) {
        await pinned?.release().catch(() => undefined);
        await this.unadmitWorkflow(prepared.workspaceId, workflowId);
      }
      throw error;
    };
    const revoked = async (): Promise<EngineError> => {
      await this.unadmitWorkflow(prepared.workspaceId, workflowId);
      return failedPrecondition(
        `dispatch of definition ${definition.definitionId} was revoked by a concurrent delete before its run started; no run was started`,
      );
    };

    if (claimId === undefined) {
      try {
        await this.client.workflow.start('executionWorkflow', {
          workflowId,
          taskQueue: this.taskQueue,
          args: [input],
          typedSearchAttributes: searchAttributes,
          // A revoked id stays taken: nothing may start under it, not even after its holder ended.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          ...userMetadata,
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) throw await revoked();
        return refused(error);
      }
      return { executionId, correlationId: input.correlationId, deduplicated: false };
    }
    let claim: WorkflowHandle | undefined;
    try {
      claim = await this.client.workflow.start('dispatchClaimWorkflow', {
        workflowId: claimId,
        taskQueue: this.taskQueue,
        args: [{ executionId, executionWorkflowId: workflowId, executionInput: input, searchAttributes, userMetadata }],
        // The key stays claimed for as long as Temporal retains the claim (docs/api.md, "executions/dispatch").
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) return refused(error);
    }
    if (claim) {
      if ((await this.claimResult(claim)).revoked) throw await revoked();
      return { executionId, correlationId: input.correlationId, deduplicated: false };
    }
    // An earlier dispatch holds the key: this execution id will never start.
    await pinned?.release().catch(() => undefined);
    await this.unadmitWorkflow(prepared.workspaceId, workflowId);
    const original = await this.claimResult(this.client.workflow.getHandle(claimId));
    if (original.revoked) throw revokedKey();
    return this.deduplicated(prepared.workspaceId, original.executionId, dispatchedAt);
  }

  /**
   * The answer to a dispatch whose idempotency key is already taken, or undefined when the key is
   * free: one claim read and one query, nothing pinned, admitted or started. With workspace limits
   * only (without them every dispatch goes the way it always went).
   */
  async repeatOf(workspaceId: string, idempotencyKey: string, at: number = Date.now()): Promise<DispatchResult | undefined> {
    if (!this.options.tenancy) return undefined;
    const original = await this.claimedExecution(dispatchClaimWorkflowId(workspaceId, idempotencyKey));
    if (original === undefined) return undefined;
    if (original.revoked) {
      throw failedPrecondition(
        `idempotencyKey ${idempotencyKey} belongs to a dispatch that was revoked before its run started (a concurrent delete of its definition); dispatch with another key`,
      );
    }
    return this.deduplicated(workspaceId, original.executionId, at);
  }

  /** What a claimed idempotency key started, or undefined when the key is free (one RPC). */
  private async claimedExecution(claimId: string): Promise<DispatchClaimResult | undefined> {
    return this.claimResult(this.client.workflow.getHandle(claimId)).catch((error: unknown) => {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    });
  }

  /**
   * The answer to a repeated key: the original run. The first MAX_RECORDED_REPEATS repeats are
   * recorded in it (`idempotency.suppressed`); later ones are not written at all, so a client that
   * repeats a dispatch forever cannot grow the run's history (docs/behaviour.md, "Workspace limits").
   * One query answers both what to reply and whether to record.
   */
  private async deduplicated(workspaceId: string, original: string, at: number): Promise<DispatchResult> {
    const handle = this.handle(workspaceId, original);
    // A run recorded before the query existed does not know it: signalled and read as before.
    const answer = await handle.query(repeatAnswerQuery).catch(() => undefined);
    if (answer === undefined || answer.recordedRepeats < MAX_RECORDED_REPEATS) {
      await handle.signal(idempotencySuppressedSignal, { at }).catch(() => undefined);
    }
    const correlationId = answer?.correlationId ?? (await this.get(workspaceId, original)).correlationId;
    return { executionId: original, correlationId, deduplicated: true };
  }

  /**
   * Takes a place under the workspace's running-executions limit for the run about to start; the
   * limiter refuses with RESOURCE_EXHAUSTED (naming the limit) when the workspace is full. The
   * dispatches of one workspace that arrive together are admitted in one Update (docs/behaviour.md,
   * "Workspace limits"), and admitting an admitted run again is a no-op.
   */
  async admit(workspaceId: string, executionId: string): Promise<void> {
    return this.admitWorkflow(workspaceId, executionWorkflowId(workspaceId, executionId));
  }

  /** Gives back the place `admit` took, for a run that will never start. */
  async unadmit(workspaceId: string, executionId: string): Promise<void> {
    return this.unadmitWorkflow(workspaceId, executionWorkflowId(workspaceId, executionId));
  }

  private async admitWorkflow(workspaceId: string, workflowId: string): Promise<void> {
    const { tenancy } = this.options;
    if (!tenancy) return;
    const outcome = await this.admissions.submit(workspaceId, { workflowId, limits: tenancy.limits });
    if (!outcome.admitted) throw new EngineError(outcome.error.status, outcome.error.message);
  }

  private readonly admissions = new GroupCommit({
    maxBatch: MAX_ADMISSIONS_PER_UPDATE,
    keyString: (workspaceId: string) => workspaceId,
    send: (workspaceId, requests: AdmitExecutionRequest[]) => this.sendAdmissions(workspaceId, requests),
  });

  /** One admission batch; every attempt carries one update id, so a retried batch is applied once. */
  private async sendAdmissions(workspaceId: string, requests: AdmitExecutionRequest[]): Promise<AdmitOutcome[]> {
    const limits = requests[requests.length - 1]!.limits;
    const limiterInput: LimiterInput = { workspaceId, limits };
    const updateId = newUpdateId();
    const limiter = this.options.tenancy?.limiter ?? { taskQueue: this.taskQueue, wait: this.wait };
    const send = () =>
      limiter.wait.run(() =>
        this.client.workflow.executeUpdateWithStart(admitExecutionsUpdate, {
          args: [{ requests }],
          updateId,
          startWorkflowOperation: new WithStartWorkflowOperation('workspaceLimiterWorkflow', {
            workflowId: workspaceLimiterWorkflowId(workspaceId),
            taskQueue: limiter.taskQueue,
            args: [limiterInput],
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        }),
      );
    // Temporal takes a bounded number of Updates in flight per workflow (10 by default), and may abort
    // one it had not accepted: the batch waits its turn here, and only that workspace's dispatches wait.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return (await send()).outcomes;
      } catch (error) {
        if (!(isBusy(error) || isAbortedUpdate(error)) || attempt >= ADMIT_ATTEMPTS) throw busyAsExhausted(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random())));
      }
    }
  }

  /** A dispatch that started nothing (its key was taken, its id revoked) gives its admission back. */
  private async unadmitWorkflow(workspaceId: string, workflowId: string): Promise<void> {
    if (!this.options.tenancy) return;
    // If this fails, the limiter's periodic check frees the place (the run never started).
    await this.client.workflow
      .getHandle(workspaceLimiterWorkflowId(workspaceId))
      .signal(executionEndedSignal, { workflowId })
      .catch(() => undefined);
  }

  async get(workspaceId: string, executionId: string): Promise<ExecutionView> {
    return this.read(workspaceId, executionId, (handle) => handle.query(getExecutionQuery));
  }

  /** The work item behind a run, for the reviewer and operator pages (docs/ui.md). */
  async workItem(workspaceId: string, executionId: string): Promise<WorkItemView> {
    return withNotFound(executionNotFound(executionId), () => this.handle(workspaceId, executionId).query(getWorkItemQuery));
  }

  async events(workspaceId: string, executionId: string, sinceSeq: number, pageSize: number): Promise<EventsPage> {
    return this.read(workspaceId, executionId, (handle) => handle.query(getEventsQuery, { sinceSeq, pageSize }));
  }

  /**
   * A query of the execution's workflow. Unknown ids are NOT_FOUND, and so is an id a delete
   * revoked before its run started (its workflow answers no execution query).
   */
  private claimResult(claim: WorkflowHandle): Promise<DispatchClaimResult> {
    return this.wait.run(() => claim.result() as Promise<DispatchClaimResult>);
  }

  private async read<R>(workspaceId: string, executionId: string, call: (handle: WorkflowHandle) => Promise<R>): Promise<R> {
    const handle = this.handle(workspaceId, executionId);
    try {
      return await withNotFound(executionNotFound(executionId), () => this.wait.run(() => call(handle)));
    } catch (error) {
      if (!(error instanceof QueryNotRegisteredError)) throw error;
      const { type } = await handle.describe();
      throw type === 'revokedExecutionWorkflow' ? executionNotFound(executionId) : error;
    }
  }

  /** The run's sealed webhook secret for checking a callback token; null when the execution does not exist. */
  async callbackKey(workspaceId: string, executionId: string): Promise<{ sealedSecret: string | null } | null> {
    if (!isStorableText(executionId)) return null;
    try {
      return await this.handle(workspaceId, executionId).query(webhookCallbackKeyQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
  }

  /** Cancelling an execution that has already ended is a no-op with the same answer (docs/behaviour.md, "Executions"). */
  async cancel(workspaceId: string, executionId: string, reason: string | undefined): Promise<CancelExecutionReply> {
    return this.update(
      workspaceId,
      executionId,
      (handle, updateId) => handle.executeUpdate(cancelExecutionUpdate, { args: [{ reason }], updateId }),
      () => cancelExecutionReply(executionId),
    );
  }

  /**
   * A step Update (reviewer decision, agent resolution, cancel, resolve): the workflow's answer, or,
   * once the run has ended, the refusal the workflow would have given (`endedRunRefusal`).
   */
  async stepUpdate<Ret, Request extends { stepId: string }>(
    workspaceId: string,
    executionId: string,
    update: UpdateDefinition<Ret, [Request]>,
    request: Request,
  ): Promise<Ret> {
    return this.update(
      workspaceId,
      executionId,
      (handle, updateId) => handle.executeUpdate(update, { args: [request], updateId }),
      (view) => {
        throw endedRunRefusal(view, request.stepId);
      },
    );
  }

  /**
   * Runs an Update of the execution's workflow, as one Update however often it is sent: every
   * attempt carries the same update id, and an Update Temporal aborted before the workflow accepted
   * it is sent again (docs/behaviour.md, "Races"). Unknown executions are NOT_FOUND; once the
   * workflow has closed, `whenEnded` answers from the final view (queries still work then).
   */
  private async update<R>(
    workspaceId: string,
    executionId: string,
    call: (handle: WorkflowHandle, updateId: string) => Promise<R>,
    whenEnded: (view: ExecutionView) => R,
  ): Promise<R> {
    const handle = this.handle(workspaceId, executionId);
    const updateId = newUpdateId();
    return retryAbortedUpdate(
      async () => {
        try {
          return await this.wait.run(() => call(handle, updateId));
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          const status = await handle.describe().then(
            (description) => description.status.name,
            () => 'MISSING' as const,
          );
          if (status === 'MISSING') throw executionNotFound(executionId);
          // The run the Update reached closed under it, and a newer run is open: send it there.
          if (status === 'RUNNING') throw new RunContinued(executionId);
          return whenEnded(await this.get(workspaceId, executionId));
        }
      },
      (error) => error instanceof RunContinued,
    );
  }

  /**
   * One page of visibility per call (docs/behaviour.md, "Listing executions"): at most `pageSize`
   * runs in Temporal's visibility order, their views read with one query each and kept in that
   * order; the cursor carries Temporal's page token. Never more than one visibility page nor more
   * than `pageSize` workflow queries, however many runs the workspace has.
   */
  async list(workspaceId: string, request: ListExecutionsRequest): Promise<ExecutionPage> {
    const cursor = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
    const startedBefore = cursor?.startedBefore;
    const query = and(
      `ApprovalKind = 'execution'`,
      `ApprovalWorkspace = ${quote(workspaceId)}`,
      `ExecutionStatus != 'ContinuedAsNew'`,
      request.definitionId !== undefined && `ApprovalDefinitionId = ${quote(request.definitionId)}`,
      request.status !== undefined && `ApprovalStatus = ${quote(request.status)}`,
      startedBefore !== undefined && `ApprovalStartedAt <= ${startedBefore}`,
    );
    const response = await this.client.workflowService
      .listWorkflowExecutions({
        namespace: this.client.options.namespace,
        query,
        pageSize: request.pageSize,
        ...(cursor?.pageToken ? { nextPageToken: cursor.pageToken } : {}),
      })
      .catch((error: unknown) => {
        // A page token of another query (the filters changed between pages) is the caller's mistake,
        // and so is one Temporal cannot even read (it answers UNKNOWN, after the client's retries).
        throw cursor?.pageToken && (isRefusedRequest(error) || isUnknownFailure(error)) ? invalidCursor() : error;
      });
    const skip = new Set(cursor?.skipIds ?? []);
    const workflowIds = (response.executions ?? [])
      .map((execution) => execution.execution?.workflowId)
      .filter((workflowId): workflowId is string => typeof workflowId === 'string' && !skip.has(workflowId));
    const views = await Promise.all(
      workflowIds.map((workflowId) => this.wait.run(() => this.client.workflow.getHandle(workflowId).query(getExecutionQuery))),
    );
    const viewStartedBefore = cursor?.viewStartedBefore;
    // Kept in Temporal's order: a re-sort by the views' startedAt (the first workflow task's time)
    // could disagree with it across pages, and paging would then reorder runs.
    const items = views.filter((view) => viewStartedBefore === undefined || view.startedAt < viewStartedBefore);
    const token = response.nextPageToken && response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
    const nextCursor = token ? encodeCursor({ startedBefore, skipIds: [], viewStartedBefore, pageToken: token }) : null;
    return { items, nextCursor, hasMore: token !== undefined };
  }

  private searchAttributes(input: ExecutionWorkflowInput): SearchAttributePair[] {
    if (!input.indexed) return [];
    return [
      { key: SA.kind, value: 'execution' },
      { key: SA.workspace, value: input.workspaceId },
      { key: SA.definitionId, value: input.definition.definitionId },
      { key: SA.status, value: 'running' },
      { key: SA.correlationId, value: input.correlationId },
      { key: SA.startedAt, value: input.dispatchedAt },
    ];
  }

  /**
   * An id Temporal cannot store names no run; refused here so that no caller (the operator pages
   * take ids from the URL) sends it to Temporal, which on PostgreSQL fails it only after retries
   * (docs/api.md, "Common formats").
   */
  private handle(workspaceId: string, executionId: string): WorkflowHandle {
    if (!isStorableText(executionId)) throw executionNotFound(executionId);
    return this.client.workflow.getHandle(executionWorkflowId(workspaceId, executionId));
  }
}

import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/**
 * Per-workspace work limits (docs/behaviour.md, "Workspace limits"). One limiter workflow per
 * workspace counts its running executions and running agents, so the count holds however many API
 * and worker processes serve the workspace.
 */
export interface WorkspaceLimits {
  /** Executions of the workspace that may run at once; a dispatch over it is refused. */
  maxRunningExecutions: number;
  /** Agent runs of the workspace that may run at once; agents over it wait their turn. */
  maxRunningAgents: number;
}

export const workspaceLimiterWorkflowId = (workspaceId: string): string => `approval-limits/${workspaceId}`;

/** One agent run of one execution. */
export interface AgentSlot {
  workflowId: string;
  stepId: string;
}

export interface LimiterInput {
  workspaceId: string;
  limits: WorkspaceLimits;
  /** Present when the limiter continues as new. */
  carried?: LimiterSnapshot | undefined;
}

export interface LimiterSnapshot {
  limits: WorkspaceLimits;
  /** Execution workflow id → when it was admitted (epoch ms). */
  running: Record<string, number>;
  granted: AgentSlot[];
  waiting: AgentSlot[];
  /** Admitted executions seen running by a check: not checked again until the workspace nears its limit. Absent in runs before it. */
  verified?: string[];
  /** Where the last near-the-limit check of verified executions stopped (an admission time). */
  checkedUpTo?: number;
}

export interface AdmitExecutionRequest {
  workflowId: string;
  /** The admitting API's configured limits; the latest one wins. */
  limits: WorkspaceLimits;
}

/** Admits one execution, or refuses with `RESOURCE_EXHAUSTED` naming the limit (before anything is written). */
export const admitExecutionUpdate = defineUpdate<{ running: number }, [AdmitExecutionRequest]>('admitExecution');
/** Admissions per `admitExecutions` Update at the most. */
export const MAX_ADMISSIONS_PER_UPDATE = 100;

export type AdmitOutcome = { admitted: true } | { admitted: false; error: { status: 'RESOURCE_EXHAUSTED'; message: string } };

export interface AdmitExecutionsReply {
  /** One per request, in order. */
  outcomes: AdmitOutcome[];
  running: number;
}

/**
 * Admits the executions of dispatches that reached one API together, in order, each up to the limit
 * (docs/behaviour.md, "Workspace limits"). A batch none of which fits is refused whole by the
 * validator, so a full workspace's dispatches write nothing.
 */
export const admitExecutionsUpdate = defineUpdate<AdmitExecutionsReply, [{ requests: AdmitExecutionRequest[] }]>('admitExecutions');
/** The execution ended (or was never started: a duplicate idempotent dispatch). */
export const executionEndedSignal = defineSignal<[{ workflowId: string }]>('executionEnded');
export const requestAgentSlotSignal = defineSignal<[AgentSlot]>('requestAgentSlot');
export const releaseAgentSlotSignal = defineSignal<[AgentSlot]>('releaseAgentSlot');
export const limiterStateQuery = defineQuery<LimiterSnapshot>('limiterState');

/** Sent by the limiter to an execution: its agent step may run now. */
export const agentSlotGrantedSignal = defineSignal<[{ stepId: string }]>('agentSlotGranted');

/** The step view's extension while an agent waits for a slot (docs/behaviour.md, "Workspace limits"). */
export const QUEUED_BEHIND_AGENT_LIMIT = 'maxRunningAgents';

import type { Endpoint } from '../endpoint';
import { createDefinition, deleteDefinition, getDefinition, listDefinitions, updateDefinition } from './definitions';
import { cancelExecution, dispatchExecution, getExecution, getExecutionEvents, listExecutions } from './executions';
import { cancelStep, recordAgentResolution, recordReviewerDecision, resolveStep } from './steps';

/** The 14 endpoints of the wire contract (docs/api.md, "Endpoints"). */
export const ENDPOINTS: readonly Endpoint[] = [
  createDefinition,
  updateDefinition,
  getDefinition,
  listDefinitions,
  deleteDefinition,
  dispatchExecution,
  getExecution,
  listExecutions,
  cancelExecution,
  getExecutionEvents,
  recordReviewerDecision,
  recordAgentResolution,
  cancelStep,
  resolveStep,
] as readonly Endpoint[];

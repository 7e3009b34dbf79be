import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

import type { CanonicalDefinition } from '../core/definition/canonical';
import type { ScopeIds, StoredDefinition } from '../core/definition/stored';
import type { ErrorCode } from '../core/errors';

export interface DefinitionWorkflowInput {
  workspaceId: string;
  definitionId: string;
  /** The stored version carried across continue-as-new; null when the workflow is started to create it. */
  record: StoredDefinition | null;
  /** Executions pinned and not known to have ended, oldest first; absent in runs started before they were tracked. */
  inFlight?: string[] | undefined;
}

export interface UpdateDefinitionCommand {
  ifVersion: number;
  content: CanonicalDefinition;
}

/**
 * What the API found when it asked each pinned execution's workflow itself (describe, query):
 * `ended` is final (closed, or its run reached a terminal status); `absent` means no workflow had
 * the id yet, so the definition workflow revokes the id before it lets the pin go.
 */
export interface ExecutionEvidence {
  executionId: string;
  seen: 'ended' | 'absent';
}

export interface DeleteDefinitionCommand extends ScopeIds {
  evidence?: ExecutionEvidence[] | undefined;
  /** Also ends the workflow, so the API can remove its runs (docs/g3.md, "Deleting"). */
  purge?: boolean | undefined;
}

/** A dispatch pins the definition's current version for one new execution before it starts it. */
export interface PinExecutionCommand extends ScopeIds {
  executionId: string;
}

export interface PinExecutionReply {
  version: number;
  /** The pinned version, unless it is too large to travel in every dispatch's reply (then read it). */
  record: StoredDefinition | null;
}

/** Dispatches that arrived together, pinned in one Update (docs/behaviour.md, "Definitions"). */
export interface PinExecutionsCommand {
  pins: PinExecutionCommand[];
}

/** One outcome per pin, in order: pinned, or the error the dispatch answers. */
export type PinOutcome = { pinned: true } | { pinned: false; error: { status: ErrorCode; message: string } };

export interface PinExecutionsReply {
  outcomes: PinOutcome[];
  /** The version every successful pin got, and its record as in `PinExecutionReply`; null when none succeeded. */
  version: number | null;
  record: StoredDefinition | null;
}

/** The most pins one Update carries: its reply and its history event stay small. */
export const MAX_PINS_PER_UPDATE = 100;

export interface InFlightExecutions {
  count: number;
  /** The oldest pinned executions, at most the requested number. */
  executionIds: string[];
}

export const createDefinitionUpdate = defineUpdate<StoredDefinition, [CanonicalDefinition]>('createDefinition');
export const updateDefinitionUpdate = defineUpdate<StoredDefinition, [UpdateDefinitionCommand]>('updateDefinition');
export const deleteDefinitionUpdate = defineUpdate<StoredDefinition, [DeleteDefinitionCommand]>('deleteDefinition');
export const pinExecutionUpdate = defineUpdate<PinExecutionReply, [PinExecutionCommand]>('pinExecution');
export const pinExecutionsUpdate = defineUpdate<PinExecutionsReply, [PinExecutionsCommand]>('pinExecutions');
/** Tells the workspace's catalog about this definition again (a catalog that predates it learns of it). */
export const announceDefinitionUpdate = defineUpdate<void>('announceDefinition');
/** An execution has ended, or its dispatch failed before it started: it no longer holds a delete back. */
export const executionEndedSignal = defineSignal<[{ executionId: string }]>('executionEnded');
export const getDefinitionQuery = defineQuery<StoredDefinition | null>('getDefinition');
export const inFlightExecutionsQuery = defineQuery<InFlightExecutions, [{ limit: number }]>('inFlightExecutions');

export const definitionWorkflowId = (workspaceId: string, definitionId: string): string => `approval-def/${workspaceId}/${definitionId}`;

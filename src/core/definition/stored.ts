import { definitionNotFound, failedPrecondition } from '../errors';
import type { CanonicalDefinition } from './canonical';
import type { CanonicalScope } from './schema/scope';

export type DefinitionStatus = 'active' | 'tombstoned';

/**
 * One stored version of a definition: its content and what the store knows about it. The
 * definition workflow keeps it (and shows it in its visibility memo), and an execution pins
 * it at dispatch. Built only by the functions below.
 */
export interface StoredDefinition {
  definitionId: string;
  version: number;
  status: DefinitionStatus;
  createdAt: number;
  updatedAt: number;
  content: CanonicalDefinition;
}

/** Version 1 of a new definition (a tombstoned id is free again and restarts at 1); `now` is passed in. */
export const firstVersion = (content: CanonicalDefinition, now: number): StoredDefinition => ({
  definitionId: content.definitionId,
  version: 1,
  status: 'active',
  createdAt: now,
  updatedAt: now,
  content,
});

/** The next version after a successful update: content replaced, createdAt kept. */
export const nextVersion = (current: StoredDefinition, content: CanonicalDefinition, now: number): StoredDefinition => ({
  ...current,
  version: current.version + 1,
  updatedAt: now,
  content,
});

/** A deleted definition keeps its last version, marked tombstoned. */
export const tombstoned = (current: StoredDefinition, now: number): StoredDefinition => ({
  ...current,
  status: 'tombstoned',
  updatedAt: now,
});

/** `ifVersion` must name the stored version: a compare-and-set (docs/behaviour.md, "Definitions"). */
export const checkVersion = (current: StoredDefinition, ifVersion: number): void => {
  if (current.version !== ifVersion) throw failedPrecondition(`Version conflict: expected ${ifVersion}, current ${current.version}`);
};

/** The scope ids a request addresses a definition with. */
export interface ScopeIds {
  organizationId?: string | undefined;
  documentId?: string | undefined;
}

/** An id the request leaves out is not checked; one it sends must be the scope's (docs/behaviour.md, "Definitions"). */
const idMatches = (sent: string | undefined, own: string | null): boolean => sent === undefined || sent === own;

/**
 * A definition is found by its id alone; scope ids a request sends must match the definition's
 * scope (a mismatch reads as NOT_FOUND), absent ones are not checked.
 */
export const scopeMatches = (scope: CanonicalScope, ids: ScopeIds): boolean => {
  switch (scope.level) {
    case 'apiKey':
      return true;
    case 'organization':
      return idMatches(ids.organizationId, scope.organizationId);
    case 'document':
      return idMatches(ids.organizationId, scope.organizationId) && idMatches(ids.documentId, scope.documentId);
  }
};

/** The version a read or delete may address: active, and addressed with its scope ids; anything else is NOT_FOUND. */
export const addressable = (stored: StoredDefinition | null, definitionId: string, ids: ScopeIds): StoredDefinition => {
  if (!stored || stored.status !== 'active' || !scopeMatches(stored.content.scope, ids)) throw definitionNotFound(definitionId);
  return stored;
};

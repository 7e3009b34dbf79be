import { definitionNotFound, failedPrecondition } from '../errors';
import { rootNodeIds } from './graph';
import { scopeMatches, type ScopeIds, type StoredDefinition } from './stored';

/**
 * The version a dispatch may pin: addressed with its scope ids (else NOT_FOUND), not deleted and
 * with a root node to start from (else FAILED_PRECONDITION). The API checks it on what it read;
 * the definition workflow checks it again when it pins (docs/behaviour.md, "Executions").
 */
export const dispatchable = (stored: StoredDefinition | null, definitionId: string, ids: ScopeIds): StoredDefinition => {
  if (!stored || !scopeMatches(stored.content.scope, ids)) throw definitionNotFound(definitionId);
  if (stored.status === 'tombstoned') throw failedPrecondition(`definition ${definitionId} is deleted and cannot be dispatched`);
  if (rootNodeIds(stored.content).length === 0) throw failedPrecondition(`definition ${definitionId} has no root node to start from`);
  return stored;
};

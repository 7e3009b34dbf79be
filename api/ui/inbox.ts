import { DefinitionIdSchema } from '../../src/core/requests/common';
import type { EngineServices } from '../services';
import type { InboxFilters, InboxModel, InboxRow } from './operator-pages';

/** The inbox reads at most this many running runs per request: its cost is bounded whatever a workspace holds. */
export const INBOX_MAX_RUNS = 200;
export const INBOX_PAGE_SIZE = 20;
const LIST_PAGE = 50;

/**
 * Waiting human steps across the workspace's running runs, newest run first (docs/ui.md, "Inbox"):
 * runs from visibility (filtered by definition there), views from each run's query, the other
 * filters applied to what the views say. Organization and document filters read each run's work item.
 */
export const collectInbox = async (
  services: EngineServices,
  workspaceId: string,
  filters: InboxFilters,
  page: number,
): Promise<InboxModel> => {
  const rows: InboxRow[] = [];
  let scannedRuns = 0;
  // No run has a definition id that is not one; such a filter is not sent to visibility at all.
  if (filters.definitionId && !DefinitionIdSchema.safeParse(filters.definitionId).success) {
    return { filters, rows, page, hasMore: false, scannedRuns, scanLimitReached: false };
  }
  let cursor: string | undefined;
  do {
    const listed = await services.executions.list(workspaceId, {
      status: 'running',
      pageSize: LIST_PAGE,
      ...(filters.definitionId ? { definitionId: filters.definitionId } : {}),
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const view of listed.items) {
      scannedRuns += 1;
      const waiting = view.steps.filter(
        (step) =>
          step.nodeType === 'human' &&
          step.status === 'waiting' &&
          (!filters.reviewer || (Array.isArray(step.output.reviewerIds) && step.output.reviewerIds.includes(filters.reviewer))),
      );
      if (waiting.length === 0) continue;
      if (filters.organizationId || filters.documentId) {
        const item = await services.executions.workItem(workspaceId, view.executionId);
        if (filters.organizationId && item.organizationId !== filters.organizationId) continue;
        if (filters.documentId && item.documentId !== filters.documentId) continue;
      }
      rows.push(...waiting.map((step) => ({ executionId: view.executionId, definitionId: view.definitionId, step })));
    }
    cursor = listed.hasMore && listed.nextCursor ? listed.nextCursor : undefined;
  } while (cursor !== undefined && scannedRuns < INBOX_MAX_RUNS);
  const start = (page - 1) * INBOX_PAGE_SIZE;
  return {
    filters,
    rows: rows.slice(start, start + INBOX_PAGE_SIZE),
    page,
    hasMore: rows.length > start + INBOX_PAGE_SIZE,
    scannedRuns,
    scanLimitReached: cursor !== undefined,
  };
};

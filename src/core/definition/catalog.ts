import type { StoredDefinition } from './stored';

/**
 * A workspace's catalog of active definitions: what a list page needs to order, filter and cut,
 * without their content. It lives in the workspace's catalog workflow, so a list reads the writes
 * that returned before it (docs/behaviour.md, "Definitions").
 */
export interface CatalogEntry {
  definitionId: string;
  updatedAt: number;
  organizationId: string | null;
  documentId: string | null;
}

/** One write of one definition, as its definition workflow tells the catalog. */
export type CatalogChange = { upsert: CatalogEntry } | { remove: string };

export interface CatalogPageRequest {
  pageSize: number;
  /** Only entries updated strictly before this `updatedAt` (the previous page's `nextCursor`). */
  cursor?: number | undefined;
  organizationId?: string | undefined;
  documentId?: string | undefined;
}

export interface CatalogPage<T> {
  items: T[];
  nextCursor: number | null;
}

/** Active definitions one workspace may hold (docs/behaviour.md, "Limits"); it bounds the catalog's state. */
export const MAX_DEFINITIONS_PER_WORKSPACE = 1000;

/** The change a definition's current record makes to its workspace's catalog. */
export const catalogChange = (definitionId: string, record: StoredDefinition | null): CatalogChange =>
  record?.status === 'active'
    ? {
        upsert: {
          definitionId,
          updatedAt: record.updatedAt,
          organizationId: record.content.scope.organizationId ?? null,
          documentId: record.content.scope.documentId ?? null,
        },
      }
    : { remove: definitionId };

export const applyCatalogChange = (entries: Map<string, CatalogEntry>, change: CatalogChange): void => {
  if ('upsert' in change) entries.set(change.upsert.definitionId, change.upsert);
  else entries.delete(change.remove);
};

type Orderable = Pick<CatalogEntry, 'definitionId' | 'updatedAt'>;

/** List order: most recently updated first, ties by definitionId. */
export const byUpdatedAtDesc = (a: Orderable, b: Orderable): number =>
  b.updatedAt - a.updatedAt || a.definitionId.localeCompare(b.definitionId);

/**
 * The integer cursor is the last item's `updatedAt`, so a page must not end in the middle of a
 * group of equal timestamps: trailing ties move to the next page (unless the page is one tie group).
 */
export const cutPage = <T extends Orderable>(sorted: T[], pageSize: number): CatalogPage<T> => {
  if (sorted.length <= pageSize) return { items: sorted, nextCursor: null };
  let end = pageSize;
  const boundary = sorted[pageSize]?.updatedAt;
  while (end > 0 && sorted[end - 1]?.updatedAt === boundary) end -= 1;
  if (end === 0) {
    end = pageSize;
    while (end < sorted.length && sorted[end]?.updatedAt === boundary) end += 1;
  }
  const items = sorted.slice(0, end);
  return { items, nextCursor: end < sorted.length ? (items.at(-1)?.updatedAt ?? null) : null };
};

/** One list page: filtered by scope ids, ordered, cut after the cursor. */
export const pageCatalog = (entries: Iterable<CatalogEntry>, request: CatalogPageRequest): CatalogPage<CatalogEntry> => {
  const { cursor, organizationId, documentId } = request;
  const matching = [...entries].filter(
    (entry) =>
      (cursor === undefined || entry.updatedAt < cursor) &&
      (organizationId === undefined || entry.organizationId === organizationId) &&
      (documentId === undefined || entry.documentId === documentId),
  );
  return cutPage(matching.sort(byUpdatedAtDesc), request.pageSize);
};

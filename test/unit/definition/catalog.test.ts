import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyCatalogChange,
  byUpdatedAtDesc,
  catalogChange,
  pageCatalog,
  type CatalogEntry,
  type CatalogPageRequest,
} from '../../../src/core/definition/catalog';
import { canonical, record } from '../../fixtures/canonical-definitions';
import { walkthroughDefinition } from '../../fixtures/definitions';

const entry = (definitionId: string, updatedAt: number, organizationId: string | null = null, documentId: string | null = null) => ({
  definitionId,
  updatedAt,
  organizationId,
  documentId,
});

/** Every page of a walk with the cursors the pages hand out. */
const walk = (entries: CatalogEntry[], request: Omit<CatalogPageRequest, 'cursor'>): Array<{ ids: string[]; cursor: number | null }> => {
  const pages: Array<{ ids: string[]; cursor: number | null }> = [];
  let cursor: number | undefined;
  for (let guard = 0; guard <= entries.length + 1; guard += 1) {
    const page = pageCatalog(entries, { ...request, cursor });
    pages.push({ ids: page.items.map((item) => item.definitionId), cursor: page.nextCursor });
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('the walk did not end');
};

describe('definitions/list paging over the catalog (table)', () => {
  const entries = [entry('a', 10), entry('b', 30), entry('c', 20), entry('d', 20), entry('e', 20), entry('f', 5)];

  it.each([
    ['one page holds everything', 10, [{ ids: ['b', 'c', 'd', 'e', 'a', 'f'], cursor: null }]],
    [
      'trailing ties move to the next page',
      3,
      [
        { ids: ['b'], cursor: 30 },
        { ids: ['c', 'd', 'e'], cursor: 20 },
        { ids: ['a', 'f'], cursor: null },
      ],
    ],
    [
      'a tie group larger than the page is returned whole',
      2,
      [
        { ids: ['b'], cursor: 30 },
        { ids: ['c', 'd', 'e'], cursor: 20 },
        { ids: ['a', 'f'], cursor: null },
      ],
    ],
    [
      'pages of one',
      1,
      [
        { ids: ['b'], cursor: 30 },
        { ids: ['c', 'd', 'e'], cursor: 20 },
        { ids: ['a'], cursor: 10 },
        { ids: ['f'], cursor: null },
      ],
    ],
  ])('%s', (_label, pageSize, expected) => {
    expect(walk(entries, { pageSize })).toEqual(expected);
  });

  it('starts strictly below the cursor and answers an empty last page past the end', () => {
    expect(pageCatalog(entries, { pageSize: 10, cursor: 20 }).items.map((item) => item.definitionId)).toEqual(['a', 'f']);
    expect(pageCatalog(entries, { pageSize: 10, cursor: 5 })).toEqual({ items: [], nextCursor: null });
    expect(pageCatalog([], { pageSize: 10 })).toEqual({ items: [], nextCursor: null });
  });

  it('filters by organizationId and documentId', () => {
    const scoped = [entry('o1', 3, 'org'), entry('d1', 2, 'org', 'doc'), entry('d2', 1, 'org', 'other'), entry('x', 4, 'org-2')];
    expect(pageCatalog(scoped, { pageSize: 10, organizationId: 'org' }).items.map((item) => item.definitionId)).toEqual(['o1', 'd1', 'd2']);
    expect(pageCatalog(scoped, { pageSize: 10, documentId: 'doc' }).items.map((item) => item.definitionId)).toEqual(['d1']);
    expect(pageCatalog(scoped, { pageSize: 10, organizationId: 'org-2', documentId: 'doc' }).items).toEqual([]);
  });
});

describe('the catalog follows its definitions', () => {
  it('holds an active definition with its scope ids and drops a tombstoned or absent one', () => {
    const stored = record({
      ...canonical(walkthroughDefinition('cat-one')),
      scope: { level: 'document', organizationId: 'org-1', documentId: 'doc-1' },
    });
    const entries = new Map<string, CatalogEntry>();
    applyCatalogChange(entries, catalogChange('cat-one', stored));
    expect([...entries.values()]).toEqual([entry('cat-one', stored.updatedAt, 'org-1', 'doc-1')]);
    applyCatalogChange(entries, catalogChange('cat-one', { ...stored, status: 'tombstoned' }));
    expect(entries.size).toBe(0);
    applyCatalogChange(entries, catalogChange('cat-two', null));
    expect(entries.size).toBe(0);
  });
});

describe('definitions/list paging over the catalog (properties)', () => {
  const ids = fc.uniqueArray(fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,8}$/), { maxLength: 40 });
  const catalogs = ids.chain((definitionIds) =>
    fc
      .tuple(
        // Few distinct timestamps, so ties are common.
        fc.array(fc.integer({ min: 1, max: 8 }), { minLength: definitionIds.length, maxLength: definitionIds.length }),
        fc.array(fc.constantFrom(null, 'org-a', 'org-b'), { minLength: definitionIds.length, maxLength: definitionIds.length }),
      )
      .map(([times, orgs]) => definitionIds.map((definitionId, index) => entry(definitionId, times[index]!, orgs[index]))),
  );
  const requests = fc.record({
    pageSize: fc.integer({ min: 1, max: 12 }),
    organizationId: fc.option(fc.constantFrom('org-a', 'org-b'), { nil: undefined }),
  });

  it('a walk returns every matching entry once, in list order, and pages never split a tie group', () => {
    fc.assert(
      fc.property(catalogs, requests, (entries, request) => {
        const pages = walk(entries, request);
        const expected = entries
          .filter((item) => request.organizationId === undefined || item.organizationId === request.organizationId)
          .sort(byUpdatedAtDesc)
          .map((item) => item.definitionId);
        expect(pages.flatMap((page) => page.ids)).toEqual(expected);

        const updatedAt = new Map(entries.map((item) => [item.definitionId, item.updatedAt]));
        pages.forEach((page, index) => {
          const times = page.ids.map((id) => updatedAt.get(id)!);
          // Over-long pages are exactly one tie group.
          if (page.ids.length > request.pageSize) expect(new Set(times).size).toBe(1);
          if (page.cursor !== null) {
            expect(page.cursor).toBe(times.at(-1));
            const next = pages[index + 1]!.ids.map((id) => updatedAt.get(id)!);
            expect(next.every((time) => time < page.cursor!)).toBe(true);
          }
          // Only the last page has no cursor; only a walk over nothing has an empty page.
          expect(page.cursor === null).toBe(index === pages.length - 1);
          if (page.ids.length === 0) expect(expected).toEqual([]);
        });
      }),
      { numRuns: 500 },
    );
  });
});

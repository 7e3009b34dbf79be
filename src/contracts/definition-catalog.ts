import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CatalogChange, CatalogEntry, CatalogPage, CatalogPageRequest } from '../core/definition/catalog';

export interface DefinitionCatalogInput {
  workspaceId: string;
  entries: CatalogEntry[];
  /** Whether definitions written before the catalog existed have been announced to it. */
  seeded: boolean;
}

export interface CatalogReading extends CatalogPage<CatalogEntry> {
  seeded: boolean;
  /** Active definitions in the workspace. */
  count: number;
}

export const catalogChangedSignal = defineSignal<[CatalogChange]>('catalogChanged');
export const catalogSeededSignal = defineSignal('catalogSeeded');
export const catalogPageQuery = defineQuery<CatalogReading, [CatalogPageRequest]>('catalogPage');

export const definitionCatalogWorkflowId = (workspaceId: string): string => `approval-catalog/${workspaceId}`;
